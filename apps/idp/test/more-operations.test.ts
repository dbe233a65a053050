import { srpSignIn } from '@app/cognito-srp/sign-in';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

let t: TestIdp;
const email = uniqueEmail('more');
beforeAll(async () => {
  t = await startTestIdp({ users: [{ email, password: poolPassword }] });
});
afterAll(() => t.close());

describe('the remaining pool, client and group operations', () => {
  it('lists, updates and deletes clients and pools; gets and deletes groups', async () => {
    const { UserPool } = await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'scratch' }));
    const poolId = UserPool!.Id!;
    const pools = await t.cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.map((p) => p.Id)).toEqual(expect.arrayContaining([poolId, t.idp.pool.poolId]));

    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'c1' }),
    );
    const clientId = UserPoolClient!.ClientId!;
    await t.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientName: 'renamed',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(described.UserPoolClient).toMatchObject({
      ClientName: 'renamed',
      PreventUserExistenceErrors: 'ENABLED',
    });
    const listed = await t.cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 10 }),
    );
    expect(listed.UserPoolClients?.map((c) => c.ClientId)).toEqual([clientId]);
    await t.cognito.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    const gone = await t.cognito
      .send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))
      .catch((e) => e);
    expect(gone.name).toBe('ResourceNotFoundException');

    await t.cognito.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'temp', Description: 'temporary' }),
    );
    expect(
      (await t.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'temp' }))).Group
        ?.Description,
    ).toBe('temporary');
    await t.cognito.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'temp' }));
    expect(
      (await t.cognito.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'temp' })).catch((e) => e))
        .name,
    ).toBe('ResourceNotFoundException');

    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    expect(
      (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId })).catch((e) => e)).name,
    ).toBe('ResourceNotFoundException');
    // The bootstrapped pool has deletion protection, as in the pool definition.
    const protectedPool = await t.cognito
      .send(new DeleteUserPoolCommand({ UserPoolId: t.idp.pool.poolId }))
      .catch((e) => e);
    expect(`${protectedPool.name}: ${protectedPool.message}`).toBe(
      'InvalidParameterException: The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
    );
  });
});

describe('admin sign-in flows', () => {
  it('AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH and with USER_SRP_AUTH + AdminRespondToAuthChallenge', async () => {
    const poolId = t.idp.pool.poolId;
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'admin-flows',
        ExplicitAuthFlows: [
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
          'ALLOW_USER_SRP_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
      }),
    );
    const clientId = UserPoolClient!.ClientId!;
    const plain = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
      }),
    );
    expect(claimsOf(plain.AuthenticationResult!.IdToken!).email).toBe(email);
    const wrongPool = await t.cognito
      .send(
        new AdminInitiateAuthCommand({
          UserPoolId: 'us-east-1_other0000',
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
        }),
      )
      .catch((e) => e);
    expect(wrongPool.name).toBe('ResourceNotFoundException');

    const done = await srpSignIn(t.cognito, { userPoolId: poolId, clientId }, email, poolPassword, {
      admin: true,
    });
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it('AdminCreateUser RESEND sends a new invitation with a new temporary password', async () => {
    const invited = uniqueEmail('resend-invite');
    await t.cognito.send(new AdminCreateUserCommand({ UserPoolId: t.idp.pool.poolId, Username: invited }));
    const first = await t.lastCode(invited, 'invitation');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: invited,
        MessageAction: 'RESEND',
      }),
    );
    const mails = await t.mailbox(invited);
    expect(mails.filter((m) => m.kind === 'invitation')).toHaveLength(2);
    expect(mails[0]!.code).not.toBe(first);
  });
});

describe('amazon-cognito-identity-js beyond sign-in', () => {
  it('signUp → confirmRegistration → authenticateUser → refreshSession → getUserAttributes → signOut (revoke)', async () => {
    const address = uniqueEmail('library');
    const pool = new CognitoUserPool({
      UserPoolId: t.idp.pool.poolId,
      ClientId: t.web.clientId,
      endpoint: t.idp.url,
    });
    await new Promise((resolve, reject) =>
      pool.signUp(
        address,
        poolPassword,
        [new CognitoUserAttribute({ Name: 'name', Value: 'Lib User' })],
        [],
        (err, r) => (err ? reject(err) : resolve(r)),
      ),
    );
    const user = new CognitoUser({ Username: address, Pool: pool });
    const code = await t.lastCode(address, 'signup');
    await new Promise((resolve, reject) =>
      user.confirmRegistration(code, true, (err, r) => (err ? reject(err) : resolve(r))),
    );
    const session = await libraryAuthenticate(
      t.idp.url,
      t.idp.pool.poolId,
      t.web.clientId,
      address,
      poolPassword,
    );
    const signedIn = new CognitoUser({ Username: address, Pool: pool });
    signedIn.setSignInUserSession(session);
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      signedIn.refreshSession(session.getRefreshToken(), (err, s) => (err ? reject(err) : resolve(s))),
    );
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(
      session.getAccessToken().decodePayload().origin_jti,
    );
    const attrs = await new Promise<CognitoUserAttribute[]>((resolve, reject) =>
      signedIn.getUserAttributes((err, a) => (err ? reject(err) : resolve(a!))),
    );
    expect(attrs.find((a) => a.getName() === 'name')?.getValue()).toBe('Lib User');

    const accessToken = refreshed.getAccessToken().getJwtToken();
    // The typings say () => void, but the library passes the revocation error (if any) to the callback.
    const signOut = signedIn.signOut.bind(signedIn) as unknown as (cb: (err?: Error) => void) => void;
    await new Promise<void>((resolve, reject) => signOut((err) => (err ? reject(err) : resolve())));
    const after = await t.cognito.send(new GetUserCommand({ AccessToken: accessToken })).catch((e) => e);
    expect(after.message).toBe('Access Token has been revoked');
  });

  it('completes NEW_PASSWORD_REQUIRED for an invited user with completeNewPasswordChallenge', async () => {
    const invited = uniqueEmail('lib-invite');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: invited,
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    const temporary = await t.lastCode(invited, 'invitation');
    const pool = new CognitoUserPool({
      UserPoolId: t.idp.pool.poolId,
      ClientId: t.web.clientId,
      endpoint: t.idp.url,
    });
    const user = new CognitoUser({ Username: invited, Pool: pool });
    const session = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: invited, Password: temporary }), {
        onSuccess: resolve,
        onFailure: reject,
        newPasswordRequired: (userAttributes) => {
          delete userAttributes.email_verified;
          delete userAttributes.email;
          user.completeNewPasswordChallenge(
            'chosen by the invitee',
            { ...userAttributes, name: 'Invitee' },
            {
              onSuccess: resolve,
              onFailure: reject,
            },
          );
        },
      }),
    );
    expect(session.getIdToken().decodePayload()).toMatchObject({ email: invited, name: 'Invitee' });
    await libraryAuthenticate(t.idp.url, t.idp.pool.poolId, t.web.clientId, invited, 'chosen by the invitee');
  });

  it('GetUserAttributeVerificationCode mails a verification code', async () => {
    const session = await libraryAuthenticate(
      t.idp.url,
      t.idp.pool.poolId,
      t.web.clientId,
      email,
      poolPassword,
    );
    const out = await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: session.getAccessToken().getJwtToken(),
        AttributeName: 'email',
      }),
    );
    expect(out.CodeDeliveryDetails?.AttributeName).toBe('email');
    expect(await t.lastCode(email, 'verification')).toMatch(/^\d{6}$/);
  });
});
