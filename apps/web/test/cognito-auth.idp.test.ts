// @vitest-environment node
/**
 * The Cognito session layer against the real local IdP (apps/idp) with the real
 * amazon-cognito-identity-js doing SRP, and the real API for sign-up (ADR 0072): nothing is mocked.
 */

import type { RunningIdp } from '@app/idp';
import { type RunningStack, startStack } from '@app/stack';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoAuthService } from '../src/auth/cognito-auth.ts';
import { AuthError } from '../src/auth/errors.ts';
import { MemoryStorage } from './memory-storage.ts';

let idp: RunningIdp;
let api: { url: string };
let stack: RunningStack;
const PASSWORD = 'a long enough passphrase';

beforeAll(async () => {
  // The IdP and the real API (embedded PGlite) wired by packages/stack; no SPA build needed here.
  stack = await startStack({
    web: false,
    idp: {
      users: [{ email: 'seeded@example.com', password: PASSWORD, name: 'Seeded', groups: ['admin'] }],
      tokenValiditySeconds: { access: 4, id: 4 },
    },
  });
  idp = stack.idp.running!;
  api = { url: stack.api!.url! };
  // The API's embedded PGlite takes a while to open on a busy machine.
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

function service(storage = new MemoryStorage()) {
  return {
    storage,
    auth: new CognitoAuthService(
      {
        userPoolId: idp.pool.poolId,
        clientId: idp.pool.clients.web!.clientId,
        cognitoEndpoint: `${idp.url}/`,
        apiUrl: api.url,
      },
      storage,
    ),
  };
}

async function latestCode(email: string, kind: string): Promise<string> {
  const res = await fetch(`${idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}`);
  const body = (await res.json()) as { messages: { kind: string; code: string }[] };
  const msg = body.messages.find((m) => m.kind === kind);
  if (!msg) throw new Error(`no ${kind} message for ${email}`);
  return msg.code;
}

async function mailCount(email: string): Promise<number> {
  const res = await fetch(`${idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}`);
  return ((await res.json()) as { messages: unknown[] }).messages.length;
}

async function refused(p: Promise<unknown>): Promise<AuthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

describe('CognitoAuthService against the local IdP', () => {
  it('signs up, refuses a wrong code, confirms with the mailed code and signs in with SRP', async () => {
    const { auth } = service();
    const email = 'New.User@Example.com';
    const up = await auth.signUp({
      email,
      password: PASSWORD,
      firstName: 'New',
      lastName: 'User',
      acceptTerms: true,
    });
    expect(up.confirmed).toBe(false);

    expect((await refused(auth.signIn(email, PASSWORD))).code).toBe('UserNotConfirmedException');
    const code = await latestCode('new.user@example.com', 'signup');
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await refused(auth.confirmSignUp(email, wrong));
    expect(bad.code).toBe('BadRequest');
    expect(bad.message).toBe('The code is invalid or has expired.');
    // The password kept from signUp in this tab goes with the code.
    expect(auth.hasSignUpPassword(email)).toBe(true);
    await auth.confirmSignUp(email, code);
    expect(auth.hasSignUpPassword(email)).toBe(false);

    const result = await auth.signIn(email, PASSWORD);
    expect(result.kind).toBe('signedIn');
    if (result.kind !== 'signedIn') return;
    expect(result.session.user.email).toBe('new.user@example.com');
    expect(result.session.user.name).toBe('New User');
    expect(result.session.expiresAt).toBeGreaterThan(Date.now());
  });

  it('refuses a wrong password in plain words; sign-up of an existing e-mail looks like any other', async () => {
    const { auth } = service();
    const err = await refused(auth.signIn('seeded@example.com', 'not the password at all'));
    expect(err.message).toBe('The e-mail address or password is not right.');
    const before = await mailCount('seeded@example.com');
    await expect(
      auth.signUp({
        email: 'seeded@example.com',
        password: 'someone else entirely',
        firstName: 'Pat',
        lastName: 'Doe',
        acceptTerms: true,
      }),
    ).resolves.toEqual({ confirmed: false, destination: null });
    expect(await mailCount('seeded@example.com')).toBe(before);
    expect((await auth.signIn('seeded@example.com', PASSWORD)).kind).toBe('signedIn');
  });

  it("an attacker's unconfirmed sign-up straight at the IdP does not block the user's sign-up (ADR 0072)", async () => {
    const email = 'squatted@example.com';
    const sdk = new CognitoIdentityProviderClient({
      region: idp.pool.region,
      endpoint: idp.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await sdk.send(
      new SignUpCommand({
        ClientId: idp.pool.clients.web!.clientId,
        Username: email,
        Password: 'the attacker password',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    sdk.destroy();
    // The unsolicited code, used on a fresh page (no kept password): the password is asked for,
    // and the mailbox owner's own password does not confirm the attacker's account.
    const stranger = service().auth;
    const unsolicited = await latestCode(email, 'signup');
    expect(stranger.hasSignUpPassword(email)).toBe(false);
    expect((await refused(stranger.confirmSignUp(email, unsolicited))).code).toBe('PasswordRequired');
    expect((await refused(stranger.confirmSignUp(email, unsolicited, PASSWORD))).code).toBe('BadRequest');

    // The user signs up: a code really arrives, and confirms the user's own account.
    const { auth } = service();
    await auth.signUp({ email, password: PASSWORD, firstName: 'Pat', lastName: 'Doe', acceptTerms: true });
    const code = await latestCode(email, 'signup');
    expect(await mailCount(email)).toBe(2);
    await auth.confirmSignUp(email, code);
    expect((await auth.signIn(email, PASSWORD)).kind).toBe('signedIn');
    const attacker = await refused(service().auth.signIn(email, 'the attacker password'));
    expect(attacker.code).toBe('NotAuthorizedException');
  });

  it('restores a stored session, refreshes it, and reads attributes', async () => {
    const storage = new MemoryStorage();
    const first = service(storage).auth;
    const signed = await first.signIn('seeded@example.com', PASSWORD);
    if (signed.kind !== 'signedIn') throw new Error('expected a session');
    expect(signed.session.user.groups).toEqual(['admin']);

    // A "reload": a new service over the same storage.
    const second = service(storage).auth;
    const restored = await second.restore();
    expect(restored?.user.sub).toBe(signed.session.user.sub);

    // Tokens within the same second can be byte-identical; wait so the refresh is visibly new.
    await new Promise((r) => setTimeout(r, 1100));
    const refreshed = await second.refresh();
    expect(refreshed.accessToken).not.toBe(signed.session.accessToken);
    expect(refreshed.user.sub).toBe(signed.session.user.sub);

    const attrs = await second.attributes();
    expect(attrs.email).toBe('seeded@example.com');
    expect(attrs.email_verified).toBe('true');
  });

  it('renews an expired session on restore (the IdP here issues 4-second tokens)', async () => {
    const storage = new MemoryStorage();
    const { auth } = service(storage);
    const signed = await auth.signIn('seeded@example.com', PASSWORD);
    if (signed.kind !== 'signedIn') throw new Error('expected a session');
    await new Promise((r) => setTimeout(r, 5000));
    const restored = await service(storage).auth.restore();
    expect(restored).not.toBeNull();
    expect(restored!.accessToken).not.toBe(signed.session.accessToken);
    expect(restored!.expiresAt).toBeGreaterThan(Date.now());
  }, 30_000);

  it('resets a forgotten password with the mailed code', async () => {
    const { auth } = service();
    await auth.signUp({
      email: 'forgetful@example.com',
      password: PASSWORD,
      firstName: 'Pat',
      lastName: 'Doe',
      acceptTerms: true,
    });
    await auth.confirmSignUp('forgetful@example.com', await latestCode('forgetful@example.com', 'signup'));
    await auth.forgotPassword('forgetful@example.com');
    const code = await latestCode('forgetful@example.com', 'reset');
    await auth.confirmForgotPassword('forgetful@example.com', code, 'a different passphrase');
    expect((await refused(auth.signIn('forgetful@example.com', PASSWORD))).code).toBe(
      'NotAuthorizedException',
    );
    expect((await auth.signIn('forgetful@example.com', 'a different passphrase')).kind).toBe('signedIn');
  });

  it('changes the password, and a global sign-out kills the refresh token', async () => {
    const { auth } = service();
    await auth.signUp({
      email: 'mover@example.com',
      password: PASSWORD,
      firstName: 'Pat',
      lastName: 'Doe',
      acceptTerms: true,
    });
    await auth.confirmSignUp('mover@example.com', await latestCode('mover@example.com', 'signup'));
    await auth.signIn('mover@example.com', PASSWORD);
    const wrongCurrent = await refused(auth.changePassword('wrong current password', 'another passphrase 1'));
    expect(wrongCurrent.code).toBe('NotAuthorizedException');
    expect(wrongCurrent.message).toBe('Your current password is not right.');
    await auth.changePassword(PASSWORD, 'another passphrase 1');

    const storage = new MemoryStorage();
    const other = service(storage).auth; // a second device
    await other.signIn('mover@example.com', 'another passphrase 1');
    await auth.signIn('mover@example.com', 'another passphrase 1');
    await auth.globalSignOut();
    expect(await auth.restore()).toBeNull();
    await expect(other.refresh()).rejects.toBeInstanceOf(AuthError);
  });

  it('completes NEW_PASSWORD_REQUIRED for an account an administrator created', async () => {
    const admin = new CognitoIdentityProviderClient({
      region: idp.pool.region,
      endpoint: idp.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await admin.send(
      new AdminCreateUserCommand({
        UserPoolId: idp.pool.poolId,
        Username: 'invited@example.com',
        TemporaryPassword: 'temporary passphrase 1',
        UserAttributes: [
          { Name: 'email', Value: 'invited@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    admin.destroy();
    const { auth } = service();
    const first = await auth.signIn('invited@example.com', 'temporary passphrase 1');
    expect(first.kind).toBe('newPasswordRequired');
    if (first.kind !== 'newPasswordRequired') return;
    expect((await refused(first.challenge.complete('short'))).code).toBe('InvalidPasswordException');
    const done = await first.challenge.complete('my own passphrase');
    expect(done.kind === 'signedIn' && done.session.user.email).toBe('invited@example.com');
    expect((await service().auth.signIn('invited@example.com', 'my own passphrase')).kind).toBe('signedIn');
  });

  it('signing out on this device revokes its refresh token', async () => {
    const storage = new MemoryStorage();
    const { auth } = service(storage);
    await auth.signIn('seeded@example.com', PASSWORD);
    const keys = [...storage.data.keys()];
    const refreshKey = keys.find((k) => k.endsWith('.refreshToken'))!;
    const saved = new Map(storage.data);
    await auth.signOut();
    expect(storage.data.get(refreshKey)).toBeUndefined();
    // Put the old tokens back, as a thief with a copy would: the refresh token no longer works.
    for (const [k, v] of saved) storage.setItem(k, v);
    await expect(service(storage).auth.refresh()).rejects.toBeInstanceOf(AuthError);
  });

  describe('changePasswordEverywhere (ADR 0070)', () => {
    async function twoDevices(email: string) {
      await service().auth.signUp({
        email,
        password: PASSWORD,
        firstName: 'Pat',
        lastName: 'Doe',
        acceptTerms: true,
      });
      await service().auth.confirmSignUp(email, await latestCode(email, 'signup'), PASSWORD);
      const other = service().auth;
      const otherSession = await other.signIn(email, PASSWORD);
      if (otherSession.kind !== 'signedIn') throw new Error('expected a session');
      const { auth } = service();
      await auth.signIn(email, PASSWORD);
      return { auth, other, otherToken: otherSession.session.accessToken };
    }
    const meStatus = async (token: string) =>
      (await fetch(`${api.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${token}` } })).status;

    it("ends the other device through the API's sign-out everywhere, then signs in again", async () => {
      const email = 'everywhere@example.com';
      const { auth, other, otherToken } = await twoDevices(email);
      expect(await meStatus(otherToken)).toBe(200);
      const steps: number[] = [];
      const result = await auth.changePasswordEverywhere(PASSWORD, 'the next passphrase 2', async () => {
        // What the profile page passes: POST /auth/sign-out-everywhere with the token this device still holds.
        const token = (await auth.restore())!.accessToken;
        const res = await fetch(`${api.url}/api/v1/auth/sign-out-everywhere`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        steps.push(res.status);
        if (res.status !== 204) throw new Error(`logout answered ${res.status}`);
      });
      expect(steps).toEqual([204]);
      expect(result.viaApi).toBe(true);
      expect(result.session.user.email).toBe(email);
      // The other device: refused by the API at once, and its refresh token is dead at the IdP.
      expect(await meStatus(otherToken)).toBe(401);
      await expect(other.refresh()).rejects.toBeInstanceOf(AuthError);
      // This device carries on with its fresh session; only the new password signs in.
      expect(await meStatus(result.session.accessToken)).toBe(200);
      expect((await auth.refresh()).user.email).toBe(email);
      expect((await refused(service().auth.signIn(email, PASSWORD))).code).toBe('NotAuthorizedException');
    });

    it("falls back to Cognito's GlobalSignOut when the API step fails", async () => {
      const email = 'no-api@example.com';
      const { auth, other } = await twoDevices(email);
      const result = await auth.changePasswordEverywhere(PASSWORD, 'the next passphrase 3', async () => {
        throw new Error('the API is down');
      });
      expect(result.viaApi).toBe(false);
      await expect(other.refresh()).rejects.toBeInstanceOf(AuthError);
      expect((await auth.refresh()).user.email).toBe(email);
    });
  });
});

describe('account self-service against the local IdP (ADR 0132)', () => {
  async function member(email: string) {
    const { auth } = service();
    await auth.signUp({ email, password: PASSWORD, firstName: 'Pat', lastName: 'Before', acceptTerms: true });
    await auth.confirmSignUp(email, await latestCode(email, 'signup'));
    await auth.signIn(email, PASSWORD);
    return auth;
  }

  it('renames, and changes the e-mail only once the code mailed to the new address is given', async () => {
    const auth = await member('relocator@example.com');
    await auth.updateName('After');
    expect((await auth.attributes()).name).toBe('After');

    expect((await auth.changeEmail('Relocated@Example.com')).destination).toMatch(/^r\*\*\*@e\*\*\*/);
    // Until verified, the old address stays: attributes, and sign-in with it.
    expect((await auth.attributes()).email).toBe('relocator@example.com');
    expect((await service().auth.signIn('relocator@example.com', PASSWORD)).kind).toBe('signedIn');
    expect((await refused(auth.confirmEmail('000000'))).code).toBe('CodeMismatchException');
    await auth.resendEmailCode();
    await auth.confirmEmail(await latestCode('relocated@example.com', 'verification'));
    const attrs = await auth.attributes();
    expect([attrs.email, attrs.email_verified]).toEqual(['relocated@example.com', 'true']);
    expect((await auth.refresh()).user.email).toBe('relocated@example.com');
    expect((await refused(service().auth.signIn('relocator@example.com', PASSWORD))).code).toBe(
      'NotAuthorizedException',
    );
  });

  it("refuses another account's address in plain words", async () => {
    const auth = await member('taker@example.com');
    const err = await refused(auth.changeEmail('seeded@example.com'));
    expect([err.code, err.message]).toEqual([
      'AliasExistsException',
      'Another account already uses this e-mail address.',
    ]);
  });
});
