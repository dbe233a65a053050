import { srpSignIn } from '@app/cognito-srp/sign-in';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());

const passwordAuth = (clientId: string, username: string, password: string, secretHash?: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: username,
        PASSWORD: password,
        ...(secretHash ? { SECRET_HASH: secretHash } : {}),
      },
    }),
  );

async function newClient(prevent: 'ENABLED' | 'LEGACY') {
  const out = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: t.idp.pool.poolId,
      ClientName: `test-${prevent}`,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: prevent,
    }),
  );
  return out.UserPoolClient!.ClientId!;
}

async function adminUser(password = poolPassword) {
  const email = uniqueEmail('rules');
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: t.idp.pool.poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
    }),
  );
  await t.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: t.idp.pool.poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return email;
}

describe("Cognito's sign-in rules", () => {
  it('enforces ExplicitAuthFlows: the web client has no USER_PASSWORD_AUTH', async () => {
    const email = await adminUser();
    const err = await passwordAuth(t.web.clientId, email, poolPassword).catch((e) => e);
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
  });

  it('requires SECRET_HASH for the backend client and refuses a wrong one', async () => {
    const email = await adminUser();
    expect((await passwordAuth(t.backend.clientId, email, poolPassword).catch((e) => e)).message).toBe(
      `Client ${t.backend.clientId} is configured for secret but secret was not received`,
    );
    const wrong = await passwordAuth(
      t.backend.clientId,
      email,
      poolPassword,
      t.secretHash('someone-else'),
    ).catch((e) => e);
    expect(wrong.name).toBe('NotAuthorizedException');
    expect(wrong.message).toBe(`Unable to verify secret hash for client ${t.backend.clientId}`);
    // A name too long for the shared secretHash is refused like a wrong hash, not with a server error.
    const huge = await passwordAuth(t.backend.clientId, 'x'.repeat(5000), poolPassword, 'AAAA').catch(
      (e) => e,
    );
    expect(huge.name).toBe('NotAuthorizedException');
    expect(huge.message).toBe(`Unable to verify secret hash for client ${t.backend.clientId}`);
  });

  it('hides unknown users with PreventUserExistenceErrors ENABLED and reveals them with LEGACY', async () => {
    const enabled = await newClient('ENABLED');
    const legacy = await newClient('LEGACY');
    const ghost = uniqueEmail('ghost');
    const hidden = await passwordAuth(enabled, ghost, poolPassword).catch((e) => e);
    expect(hidden.name).toBe('NotAuthorizedException');
    expect(hidden.message).toBe('Incorrect username or password.');
    expect((await passwordAuth(legacy, ghost, poolPassword).catch((e) => e)).name).toBe(
      'UserNotFoundException',
    );

    // SRP: ENABLED hands out a decoy challenge and then refuses; LEGACY says the user does not exist.
    const pool = { userPoolId: t.idp.pool.poolId };
    const decoy = await srpSignIn(t.cognito, { ...pool, clientId: enabled }, ghost, poolPassword).catch(
      (e) => e,
    );
    const challenge = (username: string) =>
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: enabled,
          AuthFlow: 'USER_SRP_AUTH',
          AuthParameters: { USERNAME: username, SRP_A: 'ab'.repeat(384) },
        }),
      );
    const [first, second] = [await challenge(ghost), await challenge(ghost)];
    // The decoy looks like a real user and is stable: same salt and user id on every call.
    expect(first.ChallengeParameters?.USER_ID_FOR_SRP).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(second.ChallengeParameters?.USER_ID_FOR_SRP).toBe(first.ChallengeParameters?.USER_ID_FOR_SRP);
    expect(second.ChallengeParameters?.SALT).toBe(first.ChallengeParameters?.SALT);
    expect(second.ChallengeParameters?.SRP_B).not.toBe(first.ChallengeParameters?.SRP_B);
    expect(decoy.name).toBe('NotAuthorizedException');
    expect(
      (await srpSignIn(t.cognito, { ...pool, clientId: legacy }, ghost, poolPassword).catch((e) => e)).name,
    ).toBe('UserNotFoundException');

    // Forgot password and resend: a delivery for ENABLED, UserNotFoundException for LEGACY.
    const fp = await t.cognito.send(new ForgotPasswordCommand({ ClientId: enabled, Username: ghost }));
    expect(fp.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(
      (await t.cognito.send(new ForgotPasswordCommand({ ClientId: legacy, Username: ghost })).catch((e) => e))
        .name,
    ).toBe('UserNotFoundException');
    const rc = await t.cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: enabled, Username: ghost }),
    );
    expect(rc.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect((await t.mailbox(ghost)).length).toBe(0);
  });

  it('locks out after five failed sign-ins, for a time that doubles', async () => {
    const email = await adminUser();
    const client = await newClient('ENABLED');
    for (let i = 0; i < 5; i++)
      expect((await passwordAuth(client, email, 'wrong password 1').catch((e) => e)).message).toBe(
        'Incorrect username or password.',
      );
    const locked = await passwordAuth(client, email, poolPassword).catch((e) => e);
    expect(locked.name).toBe('NotAuthorizedException');
    expect(locked.message).toBe('Password attempts exceeded');
    // SRP is locked too.
    const srp = await srpSignIn(
      t.cognito,
      { userPoolId: t.idp.pool.poolId, clientId: client },
      email,
      poolPassword,
    ).catch((e) => e);
    expect(srp.message).toBe('Password attempts exceeded');
    t.clock.advance(1500);
    expect((await passwordAuth(client, email, 'wrong password 2').catch((e) => e)).message).toBe(
      'Incorrect username or password.',
    );
    t.clock.advance(1500);
    expect((await passwordAuth(client, email, poolPassword).catch((e) => e)).message).toBe(
      'Password attempts exceeded',
    );
    t.clock.advance(1000);
    const ok = await passwordAuth(client, email, poolPassword);
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('refuses disabled users (password, SRP, library) and accepts them again once enabled', async () => {
    const email = await adminUser();
    const client = await newClient('ENABLED');
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email }));
    const err = await passwordAuth(client, email, poolPassword).catch((e) => e);
    expect(err.name).toBe('NotAuthorizedException');
    expect(err.message).toBe('User is disabled.');
    const lib = await libraryAuthenticate(
      t.idp.url,
      t.idp.pool.poolId,
      t.web.clientId,
      email,
      poolPassword,
    ).catch((e) => e);
    expect(lib.message).toBe('User is disabled.');
    await t.cognito.send(new AdminEnableUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email }));
    expect((await passwordAuth(client, email, poolPassword)).AuthenticationResult).toBeTruthy();
  });

  it('walks an invited user through NEW_PASSWORD_REQUIRED with a checked Session', async () => {
    const email = uniqueEmail('invited');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        UserAttributes: [
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'New Person' },
        ],
      }),
    );
    const [invite] = await t.mailbox(email);
    expect(invite?.kind).toBe('invitation');
    const temp = invite!.code;
    expect(invite!.body).toContain(temp);

    const start = await t.cognito
      .send(
        new AdminInitiateAuthCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientId: t.backend.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: temp, SECRET_HASH: t.secretHash(email) },
        }),
      )
      .catch((e) => e);
    // The backend client does not allow ADMIN_USER_PASSWORD_AUTH.
    expect(start.name).toBe('InvalidParameterException');

    const challenge = await passwordAuth(t.backend.clientId, email, temp, t.secretHash(email));
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(JSON.parse(challenge.ChallengeParameters!.userAttributes!)).toMatchObject({
      email,
      name: 'New Person',
    });
    const respond = (session: string, password: string) =>
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: t.backend.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password, SECRET_HASH: t.secretHash(email) },
        }),
      );
    expect((await respond('forged-session', 'a brand new passphrase').catch((e) => e)).name).toBe(
      'NotAuthorizedException',
    );
    expect((await respond(challenge.Session!, 'short').catch((e) => e)).name).toBe(
      'InvalidPasswordException',
    );
    const done = await respond(challenge.Session!, 'a brand new passphrase');
    expect(claimsOf(done.AuthenticationResult!.IdToken!).email).toBe(email);
    // The session was single-use.
    expect((await respond(challenge.Session!, 'another new passphrase').catch((e) => e)).name).toBe(
      'NotAuthorizedException',
    );
    expect(
      (await passwordAuth(t.backend.clientId, email, 'a brand new passphrase', t.secretHash(email)))
        .AuthenticationResult,
    ).toBeTruthy();
  });

  it('expires a NEW_PASSWORD_REQUIRED session after 3 minutes, and temporary passwords after 7 days', async () => {
    const email = uniqueEmail('expiry');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        TemporaryPassword: 'temporary passphrase',
      }),
    );
    const challenge = await passwordAuth(
      t.backend.clientId,
      email,
      'temporary passphrase',
      t.secretHash(email),
    );
    t.clock.advance(3 * 60_000 + 1000);
    const late = await t.cognito
      .send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientId: t.backend.clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session!,
          ChallengeResponses: {
            USERNAME: email,
            NEW_PASSWORD: 'a brand new passphrase',
            SECRET_HASH: t.secretHash(email),
          },
        }),
      )
      .catch((e) => e);
    expect(late.name).toBe('NotAuthorizedException');
    t.clock.advance(7 * 86400_000);
    const expired = await passwordAuth(
      t.backend.clientId,
      email,
      'temporary passphrase',
      t.secretHash(email),
    ).catch((e) => e);
    expect(expired.message).toBe('Temporary password has expired and must be reset by an administrator.');
  });
});
