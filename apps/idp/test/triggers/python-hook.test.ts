import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  ConfirmSignUpCommand,
  SignUpCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers.ts';
import { type Event, errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

// The URL target exists for handlers in other languages (seeds 001 and 003 are Python): here a real
// Python process serves seed 003's PreSignUp and CustomMessage, and the AWS SDK signs up through them.
const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
const hookScript = new URL('../fixtures/python_trigger_hook.py', import.meta.url).pathname;
const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe.skipIf(!python)('a trigger written in Python, as an HTTP URL target', () => {
  let hook: ChildProcess;
  let hookUrl: string;
  let t: TriggerIdp;

  beforeAll(async () => {
    hook = spawn('python3', [hookScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      hook.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
      hook.once('error', reject);
      hook.once('exit', (code) => reject(new Error(`the Python hook exited (${code})`)));
    });
    hookUrl = `http://127.0.0.1:${port}`;
    t = await startTriggerIdp({
      functions: new Map([
        ['py-pre-sign-up', { url: `${hookUrl}/pre-sign-up` }],
        ['py-custom-message', { url: `${hookUrl}/custom-message` }],
      ]),
    });
    await t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId: t.poolId,
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { PreSignUp: fn('py-pre-sign-up'), CustomMessage: fn('py-custom-message') },
        EmailConfiguration: {
          EmailSendingAccount: 'DEVELOPER',
          SourceArn: 'arn:aws:ses:us-east-1:123456789012:identity/example.com',
        },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    hook?.kill();
  });

  it('the Python PreSignUp refuses with its HTTP 400 detail as Cognito’s error; its CustomMessage writes the mail', async () => {
    const refused = await errorOf(
      t.cognito.send(
        new SignUpCommand({ ClientId: t.clientId, Username: 'ada@blocked.example', Password: password }),
      ),
    );
    expect(refused?.name).toBe('UserLambdaValidationException');
    expect(refused?.message).toBe('PreSignUp failed with error Sign-ups from blocked.example are closed.');

    const email = uniqueEmail('python');
    await t.cognito.send(
      new SignUpCommand({
        ClientId: t.clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'given_name', Value: 'Grace' }],
      }),
    );
    const [mail] = await t.mailbox(email);
    expect(mail!.subject).toBe('Verify your email');
    expect((mail as { html?: string }).html).toBe(
      `<p>Hi Grace,</p><p>Your verification code is <strong>${mail!.code}</strong>.</p>`,
    );
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: t.clientId, Username: email, ConfirmationCode: mail!.code }),
    );
    // The Python side received Cognito's events as JSON: nulls, booleans and the placeholders intact.
    const seen = (await fetch(hookUrl).then((r) => r.json())) as Array<{
      path: string;
      event: Event;
    }>;
    expect(seen.map((s) => `${s.path} ${s.event.triggerSource}`)).toEqual([
      '/pre-sign-up PreSignUp_SignUp',
      '/pre-sign-up PreSignUp_SignUp',
      '/custom-message CustomMessage_SignUp',
    ]);
    expect(seen[1]!.event).toMatchObject({
      version: '1',
      userPoolId: t.poolId,
      request: { userAttributes: { email, given_name: 'Grace' }, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(seen[2]!.event.request).toMatchObject({ codeParameter: '{####}', usernameParameter: null });
  });
});
