/**
 * Issue 11: the backend login carries the IdP's MFA steps (ADR 0118). The real API, the real local IdP
 * (MFA turned on through the SDK as an operator would), a TOTP enrolled with the user's own access
 * token; codes computed here with RFC 6238 from the secret, e-mail codes read from the dev mailbox.
 */
import {
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordSignIn, type TestIdp } from '../support/index.ts';
import { client, mailbox, totp } from './helpers.ts';
import { type RealStack, startRealStack } from './real-stack.ts';

let stack: RealStack;
let idp: TestIdp;
let app: FastifyInstance;
let cognito: CognitoIdentityProviderClient;
const user = { email: 'totp-user@example.com', password: 'totp user password 1' };
const both = { email: 'both-factors@example.com', password: 'both factors password 1' };
const fresh = { email: 'no-factor@example.com', password: 'no factor password 1' };
let secret = '';

async function enrolTotp(who: { email: string; password: string }) {
  const { access: AccessToken } = await passwordSignIn(idp, who.email, who.password);
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }));
  // One step back, so the sign-in's code (this step) is not the one already used here.
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp(SecretCode!, 1) }));
  return { AccessToken, SecretCode: SecretCode! };
}

beforeAll(async () => {
  stack = await startRealStack('mfa', { users: [user, both, fresh] });
  ({ idp, app } = stack);
  cognito = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  cognito?.destroy();
  await stack?.close();
});

describe('backend login with MFA', () => {
  it('answers a TOTP user with a challenge, not tokens, and the code turns it into tokens', async () => {
    const c = client(app);
    expect((await c.post('login', user)).statusCode).toBe(200);
    await cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: idp.pool.poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
        EmailMfaConfiguration: { Message: 'Your code is {####}.', Subject: 'Code' },
      }),
    );
    const { AccessToken, SecretCode } = await enrolTotp(user);
    secret = SecretCode;
    await cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );

    const res = await c.post('login', user);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/access_token|id_token|refresh_token|eyJ/);
    const step = res.json();
    expect(step).toMatchObject({ challenge_name: 'SOFTWARE_TOKEN_MFA', fields: ['code'] });
    expect(typeof step.session).toBe('string');

    const done = await c.post('challenge', {
      email: user.email,
      challenge_name: 'SOFTWARE_TOKEN_MFA',
      session: step.session,
      code: totp(secret),
    });
    expect(done.statusCode).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    const tokens = done.json();
    expect(tokens.token_type).toBe('Bearer');
    expect((await c.get('/users/me', tokens.access_token)).statusCode).toBe(200);
  });

  it('answers a wrong code with 401 and keeps the session for a retry', async () => {
    const c = client(app);
    const step = (await c.post('login', user)).json();
    const right = totp(secret);
    const wrong = right === '000000' ? '111111' : '000000';
    const res = await c.post('challenge', {
      email: user.email,
      challenge_name: step.challenge_name,
      session: step.session,
      code: wrong,
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toBe('The code is incorrect, or it has already been used.');
    expect(res.body).not.toContain(wrong);
  });

  it('answers a session it never issued with 401 "sign in again", and a missing code with 400', async () => {
    const c = client(app);
    const bogus = await c.post('challenge', {
      email: user.email,
      challenge_name: 'SOFTWARE_TOKEN_MFA',
      session: 'x'.repeat(40),
      code: '123456',
    });
    expect(bogus.statusCode).toBe(401);
    expect(bogus.json().detail).toMatch(/session has expired/);
    const step = (await c.post('login', user)).json();
    const noCode = await c.post('challenge', {
      email: user.email,
      challenge_name: step.challenge_name,
      session: step.session,
    });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().detail).toMatch(/"code"/);
  });

  it('login without a password: choosing PASSWORD still ends in the TOTP step, never tokens (ADR 0141)', async () => {
    const c = client(app);
    const choice = (await c.post('login', { email: user.email })).json();
    expect(choice).toMatchObject({ challenge_name: 'SELECT_CHALLENGE' });
    const res = await c.post('challenge', {
      email: user.email,
      challenge_name: 'SELECT_CHALLENGE',
      session: choice.session,
      answer: 'PASSWORD',
      password: user.password,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/access_token|id_token|refresh_token|eyJ/);
    expect(res.json()).toMatchObject({ challenge_name: 'SOFTWARE_TOKEN_MFA', fields: ['code'] });
  });

  it('lets a user with two factors and no preference choose, then answers the e-mailed code', async () => {
    await enrolTotp(both);
    await cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: idp.pool.poolId,
        Username: both.email,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
        EmailMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const c = client(app);
    const choose = (await c.post('login', both)).json();
    expect(choose).toMatchObject({ challenge_name: 'SELECT_MFA_TYPE', fields: ['mfa_type'] });
    expect([...choose.mfa_types].sort()).toEqual(['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);

    const emailStep = await c.post('challenge', {
      email: both.email,
      challenge_name: 'SELECT_MFA_TYPE',
      session: choose.session,
      mfa_type: 'EMAIL_OTP',
    });
    expect(emailStep.statusCode).toBe(200);
    const next = emailStep.json();
    expect(next).toMatchObject({ challenge_name: 'EMAIL_OTP', fields: ['code'] });
    expect(next.code_sent_to).toMatch(/\*/);
    const code = (await mailbox(idp, both.email)).find((m) => (m.kind as string) === 'mfa')?.code;
    expect(code).toMatch(/^\d{6,8}$/);
    const done = await c.post('challenge', {
      email: both.email,
      challenge_name: 'EMAIL_OTP',
      session: next.session,
      code,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().access_token).toBeTruthy();
  });

  it('with MFA required, gives a user without a factor a TOTP key to set up, then tokens', async () => {
    await cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: idp.pool.poolId,
        MfaConfiguration: 'ON',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const c = client(app);
    const setup = (await c.post('login', fresh)).json();
    expect(setup).toMatchObject({ challenge_name: 'MFA_SETUP', fields: ['code'] });
    expect(setup.otpauth_uri).toBe(
      `otpauth://totp/cognito-stack:no-factor%40example.com?secret=${setup.secret_code}&issuer=cognito-stack&algorithm=SHA1&digits=6&period=30`,
    );
    const done = await c.post('challenge', {
      email: fresh.email,
      challenge_name: 'MFA_SETUP',
      session: setup.session,
      code: totp(setup.secret_code),
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().access_token).toBeTruthy();
  });

  it('cuts off answers for one account after 10 a minute with 429, from any IP', async () => {
    // A session the IdP refuses at once (no lockout count there), so the 429 can only be this API's.
    const answers: number[] = [];
    let last: Awaited<ReturnType<ReturnType<typeof client>['post']>> | undefined;
    for (let i = 0; i < 11; i++) {
      last = await client(app).post('challenge', {
        email: 'guess-target@example.com',
        challenge_name: 'SOFTWARE_TOKEN_MFA',
        session: `${'y'.repeat(39)}${i}`,
        code: '123456',
      });
      answers.push(last.statusCode);
    }
    expect(answers).toEqual([...Array(10).fill(401), 429]);
    expect(last?.headers['retry-after']).toBeDefined();
  });
});
