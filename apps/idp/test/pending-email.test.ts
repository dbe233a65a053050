import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

// Issue 8 item 7, ADR 0078: the shared pool definition sets AttributesRequireVerificationBeforeUpdate
// to ["email"], so an unverified new address neither signs in nor reserves anything, and the old
// one stays the account's e-mail (verified) until the code mailed to the new one is verified.

let t: TestIdp;
const [alice, bob, carol] = [uniqueEmail('alice'), uniqueEmail('bob'), uniqueEmail('carol')];

beforeAll(async () => {
  t = await startTestIdp({ users: [alice, bob, carol].map((email) => ({ email, password: poolPassword })) });
});
afterAll(() => t.close());

const signIn = (email: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
    }),
  );
const attrs = (list: Array<{ Name?: string; Value?: string }> | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));
const accessToken = async (email: string) => (await signIn(email)).AuthenticationResult!.AccessToken!;

describe('AttributesRequireVerificationBeforeUpdate: email', () => {
  it('DescribeUserPool returns the setting bootstrapped from the pool definition', async () => {
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: t.idp.pool.poolId }));
    expect(UserPool!.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
  });

  it('an unverified new address keeps the old one for GetUser, AdminGetUser, tokens, sign-in and lookups', async () => {
    const AccessToken = await accessToken(alice);
    const next = uniqueEmail('alice-next');
    const out = await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: next }] }),
    );
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.CodeDeliveryDetailsList).toEqual([
      { Destination: 'a***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    ]);
    // The code went to the new address, not the old one.
    expect((await t.mailbox(next)).map((m) => m.kind)).toEqual(['verification']);
    expect(await t.mailbox(alice)).toEqual([]);

    const me = await t.cognito.send(new GetUserCommand({ AccessToken }));
    expect(attrs(me.UserAttributes)).toMatchObject({ email: alice, email_verified: 'true' });
    const admin = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: alice }),
    );
    expect(attrs(admin.UserAttributes)).toMatchObject({ email: alice, email_verified: 'true' });

    const refused = await signIn(next).catch((e) => e);
    expect(refused.name).toBe('NotAuthorizedException');
    expect(refused.message).toBe('Incorrect username or password.');
    expect(claimsOf((await signIn(alice)).AuthenticationResult!.IdToken!)).toMatchObject({
      email: alice,
      email_verified: true,
    });
    const listed = await t.cognito.send(
      new ListUsersCommand({ UserPoolId: t.idp.pool.poolId, Filter: `email = "${next}"` }),
    );
    expect(listed.Users).toEqual([]);
  });

  it('the pending address reserves nothing: someone else may sign up with it, and then it cannot be verified', async () => {
    const AccessToken = await accessToken(bob);
    const wanted = uniqueEmail('contested');
    await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: wanted }] }),
    );
    const Code = await t.lastCode(wanted, 'verification');
    const other = await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: wanted, Password: 'another long passphrase' }),
    );
    expect(other.UserConfirmed).toBe(false);
    const err = await t.cognito
      .send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }))
      .catch((e) => e);
    expect(err.name).toBe('AliasExistsException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('An account with the given email already exists.');
    const me = await t.cognito.send(new GetUserCommand({ AccessToken }));
    expect(attrs(me.UserAttributes)).toMatchObject({ email: bob, email_verified: 'true' });
  });

  it('VerifyUserAttribute applies the new address: it signs in, the old one no longer does', async () => {
    const AccessToken = await accessToken(carol);
    const next = uniqueEmail('carol-next');
    await t.cognito.send(
      new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'email', Value: next }] }),
    );
    // A code asked for again goes to the pending address too.
    const again = await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }),
    );
    expect(again.CodeDeliveryDetails).toEqual({
      Destination: 'c***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const Code = await t.lastCode(next, 'verification');
    const verified = await t.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }),
    );
    expect(verified.$metadata.httpStatusCode).toBe(200);
    const me = await t.cognito.send(new GetUserCommand({ AccessToken }));
    expect(attrs(me.UserAttributes)).toMatchObject({ email: next, email_verified: 'true' });
    expect(claimsOf((await signIn(next)).AuthenticationResult!.IdToken!).email).toBe(next);
    expect((await signIn(carol).catch((e) => e)).message).toBe('Incorrect username or password.');
  });

  it('AdminUpdateUserAttributes: pending without email_verified, applied at once (no mail) with email_verified=true', async () => {
    const email = uniqueEmail('admin-moved');
    await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
    );
    const update = (value: string, verified?: boolean) =>
      t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: t.idp.pool.poolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: value },
            ...(verified ? [{ Name: 'email_verified', Value: 'true' }] : []),
          ],
        }),
      );
    const pending = uniqueEmail('admin-pending');
    await update(pending);
    const got = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email }),
    );
    expect(attrs(got.UserAttributes).email).toBe(email);
    expect((await t.mailbox(pending)).map((m) => m.kind)).toEqual(['verification']);

    const direct = uniqueEmail('admin-direct');
    await update(direct, true);
    const after = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: direct }),
    );
    expect(attrs(after.UserAttributes)).toMatchObject({ email: direct, email_verified: 'true' });
    expect(await t.mailbox(direct)).toEqual([]);
  });
});

describe('CreateUserPool and UpdateUserPool store the setting', () => {
  it('creates, describes and keeps it through updates that leave it out; refuses it for an attribute that is not auto-verified', async () => {
    const created = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'keep-original',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      }),
    );
    const UserPoolId = created.UserPool!.Id!;
    expect(created.UserPool!.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: ['email'],
    });
    const updateSettingsOf = async () =>
      (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId }))).UserPool!
        .UserAttributeUpdateSettings;
    // Unlike the other settings, Cognito keeps this one when UpdateUserPool leaves it out (ADR 0219)...
    await t.cognito.send(new UpdateUserPoolCommand({ UserPoolId, AutoVerifiedAttributes: ['email'] }));
    expect(await updateSettingsOf()).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
    // ...so an update that leaves out both it and AutoVerifiedAttributes (which does return to none) is
    // refused, as Cognito answers aws-nuke's UpdateUserPool {UserPoolId, DeletionProtection}.
    const partial = await t.cognito
      .send(new UpdateUserPoolCommand({ UserPoolId, DeletionProtection: 'INACTIVE' }))
      .catch((e) => e);
    expect(`${partial.name}: ${partial.message}`).toBe(
      'InvalidParameterException: All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
    );
    expect(await updateSettingsOf()).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
    // An empty list clears it.
    await t.cognito.send(
      new UpdateUserPoolCommand({
        UserPoolId,
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [] },
      }),
    );
    expect(await updateSettingsOf()).toEqual({ AttributesRequireVerificationBeforeUpdate: [] });
    const bad = await t.cognito
      .send(
        new CreateUserPoolCommand({
          PoolName: 'bad',
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        }),
      )
      .catch((e) => e);
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.$metadata.httpStatusCode).toBe(400);
  });
});
