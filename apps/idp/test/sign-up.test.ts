import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());

describe('sign-up, confirmation and USER_PASSWORD_AUTH through the AWS SDK', () => {
  it('signs up, mails a code, confirms and signs in with the backend client', async () => {
    const email = uniqueEmail('signup');
    const out = await t.cognito.send(
      new SignUpCommand({
        ClientId: t.backend.clientId,
        SecretHash: t.secretHash(email),
        Username: email,
        Password: poolPassword,
        UserAttributes: [{ Name: 'name', Value: 'Ada Lovelace' }],
      }),
    );
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: 's***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });

    const before = await t.cognito
      .send(
        new InitiateAuthCommand({
          ClientId: t.backend.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
        }),
      )
      .catch((e) => e);
    expect(before.name).toBe('UserNotConfirmedException');

    const [mail] = await t.mailbox(email);
    expect(mail?.kind).toBe('signup');
    expect(mail?.code).toMatch(/^\d{6}$/);
    expect(mail?.body).toContain(mail?.code);

    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: t.backend.clientId,
        SecretHash: t.secretHash(email),
        Username: email,
        ConfirmationCode: mail!.code,
      }),
    );
    const user = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.Username).toBe(out.UserSub);
    expect(user.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'true' });
    expect(user.UserCreateDate).toBeInstanceOf(Date);

    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
      }),
    );
    const r = auth.AuthenticationResult!;
    expect(r.TokenType).toBe('Bearer');
    expect(r.ExpiresIn).toBe(3600);
    expect(r.RefreshToken).toBeTruthy();
    const id = claimsOf(r.IdToken!);
    expect(id).toMatchObject({
      email,
      email_verified: true,
      name: 'Ada Lovelace',
      sub: out.UserSub,
      token_use: 'id',
    });
    expect(id['cognito:username']).toBe(out.UserSub);
  });

  it('refuses a password below the pool minimum with InvalidPasswordException', async () => {
    const email = uniqueEmail('short');
    const err = await t.cognito
      .send(new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: 'too short' }))
      .catch((e) => e);
    expect(err.name).toBe('InvalidPasswordException');
    expect(err.message).toBe('Password did not conform with policy: Password not long enough');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses a password on the shared common-password list (ours, not Cognito policy: ADR 0131)', async () => {
    const err = await t.cognito
      .send(
        new SignUpCommand({
          ClientId: t.web.clientId,
          Username: uniqueEmail('common'),
          Password: 'Qwerty123456',
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('InvalidPasswordException');
    expect(err.message).toBe('Password did not conform with policy: Password is too common');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses whitespace at either end of a password, and over 256 characters, as Cognito validates', async () => {
    for (const Password of [' leading space passphrase', 'trailing space passphrase ', 'x'.repeat(257)]) {
      const err = await t.cognito
        .send(new SignUpCommand({ ClientId: t.web.clientId, Username: uniqueEmail('edge'), Password }))
        .catch((e) => e);
      expect(err.name).toBe('InvalidParameterException');
      expect(err.message).toMatch(/failed to satisfy constraint/);
    }
  });

  it('counts characters, not UTF-16 units, toward the minimum length', async () => {
    const err = await t.cognito
      .send(
        new SignUpCommand({
          ClientId: t.web.clientId,
          Username: uniqueEmail('emoji'),
          Password: '😀'.repeat(11),
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('InvalidPasswordException');
    const ok = await t.cognito.send(
      new SignUpCommand({
        ClientId: t.web.clientId,
        Username: uniqueEmail('emoji'),
        Password: '😀'.repeat(12),
      }),
    );
    expect(ok.UserSub).toBeTruthy();
  });

  it('refuses a second account for the same e-mail (any case)', async () => {
    const email = uniqueEmail('dup');
    await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
    );
    const err = await t.cognito
      .send(
        new SignUpCommand({
          ClientId: t.web.clientId,
          Username: email.toUpperCase(),
          Password: poolPassword,
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('UsernameExistsException');
    expect(err.message).toBe('An account with the given email already exists.');
  });

  it('lets exactly one of two concurrent sign-ups of one address win', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.allSettled(
      [email, email.toUpperCase()].map((u) =>
        t.cognito.send(new SignUpCommand({ ClientId: t.web.clientId, Username: u, Password: poolPassword })),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason.name).toBe('UsernameExistsException');
  });

  it('requires an e-mail as the username', async () => {
    const err = await t.cognito
      .send(new SignUpCommand({ ClientId: t.web.clientId, Username: 'not-an-email', Password: poolPassword }))
      .catch((e) => e);
    expect(err.name).toBe('InvalidParameterException');
  });

  it('rejects wrong, expired and reused confirmation codes', async () => {
    const email = uniqueEmail('codes');
    await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
    );
    const code = await t.lastCode(email, 'signup');
    const wrong = code === '000000' ? '111111' : '000000';
    const confirm = (c: string) =>
      t.cognito.send(
        new ConfirmSignUpCommand({ ClientId: t.web.clientId, Username: email, ConfirmationCode: c }),
      );

    expect((await confirm(wrong).catch((e) => e)).name).toBe('CodeMismatchException');

    t.clock.advance(24 * 3600_000 + 1000);
    const expired = await confirm(code).catch((e) => e);
    expect(expired.name).toBe('ExpiredCodeException');
    expect(expired.message).toBe('Invalid code provided, please request a code again.');

    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: t.web.clientId, Username: email }));
    const fresh = await t.lastCode(email, 'signup');
    await confirm(fresh);
    const reused = await confirm(fresh).catch((e) => e);
    expect(reused.name).toBe('NotAuthorizedException');
    expect(reused.message).toBe('User cannot be confirmed. Current status is CONFIRMED');
  });

  it('locks a code after five wrong guesses (LimitExceededException), until a new one is sent', async () => {
    const email = uniqueEmail('limit');
    await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
    );
    const code = await t.lastCode(email, 'signup');
    const wrong = code === '000000' ? '111111' : '000000';
    const confirm = (c: string) =>
      t.cognito.send(
        new ConfirmSignUpCommand({ ClientId: t.web.clientId, Username: email, ConfirmationCode: c }),
      );
    for (let i = 0; i < 5; i++)
      expect((await confirm(wrong).catch((e) => e)).name).toBe('CodeMismatchException');
    expect((await confirm(code).catch((e) => e)).name).toBe('LimitExceededException');
    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: t.web.clientId, Username: email }));
    await confirm(await t.lastCode(email, 'signup'));
  });

  it('answers ResendConfirmationCode for a confirmed user with InvalidParameterException', async () => {
    const email = uniqueEmail('resend');
    await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
    );
    await t.cognito.send(
      new ConfirmSignUpCommand({
        ClientId: t.web.clientId,
        Username: email,
        ConfirmationCode: await t.lastCode(email, 'signup'),
      }),
    );
    const err = await t.cognito
      .send(new ResendConfirmationCodeCommand({ ClientId: t.web.clientId, Username: email }))
      .catch((e) => e);
    expect(err.name).toBe('InvalidParameterException');
  });
});
