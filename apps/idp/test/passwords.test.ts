import {
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

let t: TestIdp;
const users = Array.from({ length: 4 }, (_, i) => uniqueEmail(`pw${i}`));
beforeAll(async () => {
  t = await startTestIdp({ users: users.map((email) => ({ email, password: poolPassword })) });
});
afterAll(() => t.close());

const signIn = (email: string, password: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: t.secretHash(email) },
    }),
  );
const forgot = (email: string) =>
  t.cognito.send(
    new ForgotPasswordCommand({
      ClientId: t.backend.clientId,
      Username: email,
      SecretHash: t.secretHash(email),
    }),
  );
const confirm = (email: string, code: string, password: string) =>
  t.cognito.send(
    new ConfirmForgotPasswordCommand({
      ClientId: t.backend.clientId,
      Username: email,
      SecretHash: t.secretHash(email),
      ConfirmationCode: code,
      Password: password,
    }),
  );

describe('forgot, reset and change password', () => {
  it('resets with the mailed code; the new password works for both USER_PASSWORD_AUTH and SRP', async () => {
    const email = users[0]!;
    const out = await forgot(email);
    expect(out.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    const code = await t.lastCode(email, 'reset');
    const weak = await confirm(email, code, 'short').catch((e) => e);
    expect(weak.name).toBe('InvalidPasswordException');
    await confirm(email, code, 'my new long passphrase');
    expect((await signIn(email, poolPassword).catch((e) => e)).message).toBe(
      'Incorrect username or password.',
    );
    await signIn(email, 'my new long passphrase');
    await libraryAuthenticate(t.idp.url, t.idp.pool.poolId, t.web.clientId, email, 'my new long passphrase');
    // The code was used up.
    expect((await confirm(email, code, 'yet another passphrase').catch((e) => e)).name).toBe(
      'ExpiredCodeException',
    );
  });

  it('expires reset codes after one hour and refuses wrong ones', async () => {
    const email = users[1]!;
    await forgot(email);
    const code = await t.lastCode(email, 'reset');
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await confirm(email, wrong, 'my new long passphrase').catch((e) => e)).name).toBe(
      'CodeMismatchException',
    );
    t.clock.advance(3600_000 + 1000);
    expect((await confirm(email, code, 'my new long passphrase').catch((e) => e)).name).toBe(
      'ExpiredCodeException',
    );
    await signIn(email, poolPassword);
  });

  it('refuses reset for an unconfirmed user (no verified e-mail)', async () => {
    const email = uniqueEmail('unverified');
    await t.cognito.send(
      new SignUpCommand({
        ClientId: t.backend.clientId,
        Username: email,
        Password: poolPassword,
        SecretHash: t.secretHash(email),
      }),
    );
    const err = await forgot(email).catch((e) => e);
    expect(err.name).toBe('InvalidParameterException');
  });

  it('changes the password with the access token, checking the previous one', async () => {
    const email = users[2]!;
    const { AuthenticationResult } = await signIn(email, poolPassword);
    const change = (previous: string, proposed: string) =>
      t.cognito.send(
        new ChangePasswordCommand({
          AccessToken: AuthenticationResult!.AccessToken!,
          PreviousPassword: previous,
          ProposedPassword: proposed,
        }),
      );
    expect((await change('not my password', 'a changed passphrase').catch((e) => e)).name).toBe(
      'NotAuthorizedException',
    );
    expect((await change(poolPassword, 'short').catch((e) => e)).name).toBe('InvalidPasswordException');
    await change(poolPassword, 'a changed passphrase');
    await signIn(email, 'a changed passphrase');
  });

  it('AdminResetUserPassword forces a reset: sign-in answers PasswordResetRequiredException', async () => {
    const email = users[3]!;
    await t.cognito.send(
      new AdminResetUserPasswordCommand({ UserPoolId: t.idp.pool.poolId, Username: email }),
    );
    expect((await signIn(email, poolPassword).catch((e) => e)).name).toBe('PasswordResetRequiredException');
    await confirm(email, await t.lastCode(email, 'reset'), 'after the admin reset');
    await signIn(email, 'after the admin reset');
  });
});
