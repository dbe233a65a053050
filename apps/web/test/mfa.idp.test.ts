// @vitest-environment node
/**
 * The SPA's MFA and choice-based sign-in layer (factors.ts, sign-in-challenge.ts) against the real
 * local IdP with the real amazon-cognito-identity-js doing SRP: authenticator codes computed from the
 * secret the IdP hands out (RFC 6238 via otpauth), e-mail codes read from the dev mailbox.
 */
import { type RunningStack, startStack } from '@app/stack';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowFirstFactors, allowUserAuth, setMfa } from '../../../e2e/support/passkeys.ts';
import { CognitoAuthService, type SignInResult } from '../src/auth/cognito-auth.ts';
import { AuthError } from '../src/auth/errors.ts';
import type { SignInChallenge } from '../src/auth/sign-in-challenge.ts';
import { MemoryStorage } from './memory-storage.ts';

const PASSWORD = 'a long enough passphrase';
const users = ['totp', 'mail', 'both', 'setup', 'choice'].map((n) => `${n}@example.com`);
let stack: RunningStack;
let cognito: sdk.CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  stack = await startStack({
    web: false,
    api: false,
    idp: { users: users.map((email) => ({ email, password: PASSWORD })) },
  });
  const idp = stack.idp.running!;
  poolId = idp.pool.poolId;
  clientId = idp.pool.clients.web!.clientId;
  cognito = new sdk.CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await setMfa(cognito, poolId, 'OPTIONAL');
  await allowFirstFactors(cognito, poolId, ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN']);
  await allowUserAuth(cognito, poolId, clientId);
}, 120_000);
afterAll(async () => {
  cognito?.destroy();
  await stack?.stop();
});

const service = () =>
  new CognitoAuthService(
    { userPoolId: poolId, clientId, cognitoEndpoint: `${stack.idp.url}/`, apiUrl: 'http://127.0.0.1:1' },
    new MemoryStorage(),
  );

/** The code an authenticator app shows `stepsAhead` periods from now. */
const totp = (secret: string, stepsAhead = 0) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });

async function mailedCode(email: string): Promise<string> {
  const res = await fetch(`${stack.idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}`);
  const { messages } = (await res.json()) as { messages: { kind: string; code: string }[] };
  const code = messages.find((m) => m.kind === 'mfa')?.code;
  if (!code) throw new Error(`no sign-in code for ${email}`);
  return code;
}

function challengeOf(result: SignInResult): SignInChallenge {
  if (result.kind !== 'challenge') throw new Error(`expected a challenge, got ${result.kind}`);
  return result.challenge;
}

async function signedIn(auth: CognitoAuthService, email: string) {
  const r = await auth.signIn(email, PASSWORD);
  expect(r.kind).toBe('signedIn');
}

describe('MFA from the SPA against the local IdP', () => {
  it('enrols an authenticator app, then SRP sign-in asks for its code; a wrong code can be retried', async () => {
    const email = 'totp@example.com';
    const auth = service();
    await signedIn(auth, email);
    const { secret, uri } = await auth.factors.startAuthenticator();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Cognito%20Stack:totp%40example\.com\?secret=/);
    const wrong = await auth.factors.verifyAuthenticator('000000').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AuthError);
    expect((wrong as AuthError).message).toMatch(/authenticator app/);
    await auth.factors.verifyAuthenticator(totp(secret));
    expect(await auth.factors.status()).toMatchObject({
      mfa: ['SOFTWARE_TOKEN_MFA'],
      preferred: 'SOFTWARE_TOKEN_MFA',
    });
    await auth.signOut();

    const again = service();
    const challenge = challengeOf(await again.signIn(email, PASSWORD));
    expect(challenge.step).toEqual({ kind: 'code', factor: 'SOFTWARE_TOKEN_MFA', destination: null });
    const refused = await challenge.answerCode('000000').catch((e: unknown) => e);
    expect((refused as AuthError).code).toBe('CodeMismatchException');
    // The set-up's code was used once; the next period's code (±1 step is accepted) signs in.
    const done = await challenge.answerCode(totp(secret, 1));
    expect(done.kind).toBe('signedIn');
    expect((await again.restore())?.user.email).toBe(email);

    await again.factors.setMfa('SOFTWARE_TOKEN_MFA', { enabled: false, preferred: false });
    expect((await again.factors.status()).mfa).toEqual([]);
    await signedIn(service(), email);
  });

  it('e-mail codes as MFA: the code from the dev mailbox signs in', async () => {
    const email = 'mail@example.com';
    const auth = service();
    await signedIn(auth, email);
    await auth.factors.setMfa('EMAIL_OTP', { enabled: true, preferred: true });
    const challenge = challengeOf(await service().signIn(email, PASSWORD));
    expect(challenge.step).toMatchObject({ kind: 'code', factor: 'EMAIL_OTP' });
    expect((challenge.step as { destination: string }).destination).toMatch(/\*/);
    expect((await challenge.answerCode(await mailedCode(email))).kind).toBe('signedIn');
  });

  it('two factors and no preference: the user picks one (SELECT_MFA_TYPE)', async () => {
    const email = 'both@example.com';
    const auth = service();
    await signedIn(auth, email);
    const { secret } = await auth.factors.startAuthenticator();
    await auth.factors.verifyAuthenticator(totp(secret));
    await auth.factors.setMfa('EMAIL_OTP', { enabled: true });
    await auth.factors.setMfa('SOFTWARE_TOKEN_MFA', { enabled: true, preferred: false });
    const choice = challengeOf(await service().signIn(email, PASSWORD));
    expect(choice.step.kind).toBe('selectMfa');
    expect((choice.step as { factors: string[] }).factors.sort()).toEqual([
      'EMAIL_OTP',
      'SOFTWARE_TOKEN_MFA',
    ]);
    const code = challengeOf(await choice.choose('EMAIL_OTP'));
    expect(code.step).toMatchObject({ kind: 'code', factor: 'EMAIL_OTP' });
    expect((await code.answerCode(await mailedCode(email))).kind).toBe('signedIn');
  });

  it('choice-based sign-in: the ways on offer, then a passwordless e-mailed code', async () => {
    const email = 'choice@example.com';
    const choice = challengeOf(await service().signInWithChoice(email));
    expect(choice.step.kind).toBe('selectChallenge');
    expect((choice.step as { choices: string[] }).choices).toEqual(
      expect.arrayContaining(['PASSWORD_SRP', 'EMAIL_OTP']),
    );
    const code = challengeOf(await choice.choose('EMAIL_OTP'));
    expect(code.step).toMatchObject({ kind: 'code', factor: 'EMAIL_OTP' });
    const auth = service();
    const direct = challengeOf(await auth.signInWithChoice(email, { preferred: 'EMAIL_OTP' }));
    expect((await direct.answerCode(await mailedCode(email))).kind).toBe('signedIn');
    expect((await auth.attributes()).email).toBe(email);
  });

  it('MFA ON: a user without a factor sets up an authenticator app during sign-in', async () => {
    const email = 'setup@example.com';
    await setMfa(cognito, poolId, 'ON');
    try {
      const setup = challengeOf(await service().signIn(email, PASSWORD));
      expect(setup.step.kind).toBe('mfaSetup');
      expect((setup.step as { factors: string[] }).factors.sort()).toEqual([
        'EMAIL_OTP',
        'SOFTWARE_TOKEN_MFA',
      ]);
      const { secret } = await setup.setUpAuthenticator();
      const wrong = await setup.verifyAuthenticator('000000').catch((e: unknown) => e);
      expect((wrong as AuthError).message).toMatch(/authenticator app/);
      expect((await setup.verifyAuthenticator(totp(secret))).kind).toBe('signedIn');
    } finally {
      await setMfa(cognito, poolId, 'OPTIONAL');
    }
  });

  it('MFA ON: an invited user chooses a password, then sets up the app before any token', async () => {
    const email = 'invited@example.com';
    await cognito.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        TemporaryPassword: 'temporary passphrase 1',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    await setMfa(cognito, poolId, 'ON', ['SOFTWARE_TOKEN_MFA']);
    try {
      const first = await service().signIn(email, 'temporary passphrase 1');
      if (first.kind !== 'newPasswordRequired')
        throw new Error(`expected a new password step, got ${first.kind}`);
      const setup = challengeOf(await first.challenge.complete('my own passphrase'));
      expect(setup.step).toEqual({ kind: 'mfaSetup', factors: ['SOFTWARE_TOKEN_MFA'] });
      const { secret } = await setup.setUpAuthenticator();
      expect((await setup.verifyAuthenticator(totp(secret))).kind).toBe('signedIn');
    } finally {
      await setMfa(cognito, poolId, 'OPTIONAL');
    }
  });

  it('a client without ALLOW_USER_AUTH: choice-based sign-in says only passwords work', async () => {
    const { UserPoolClient } = await cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'srp-only',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const auth = new CognitoAuthService(
      {
        userPoolId: poolId,
        clientId: UserPoolClient!.ClientId!,
        cognitoEndpoint: `${stack.idp.url}/`,
        apiUrl: 'http://127.0.0.1:1',
      },
      new MemoryStorage(),
    );
    await expect(auth.signInWithChoice('choice@example.com')).rejects.toThrow(
      'Only password sign-in is available for this app.',
    );
  });
});
