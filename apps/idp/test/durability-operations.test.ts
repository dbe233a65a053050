/**
 * Every operation that changes state has it on disk before it answers (issue 8, item 14). Each case
 * runs one operation, copies the data folder the moment the answer arrives — what a crash right then
 * would leave — starts a second IdP on the copy and checks the change is there. The table must name
 * every operation the IdP answers (or list it as read-only), so a new mutating operation without a
 * case, and so without a commit check, fails here.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../src/operations/index.ts';
import { poolPassword as password, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

/** Runs against the first IdP, ends with the operation under test, returns the check for the copy. */
type Case = (t: TestIdp) => Promise<(after: TestIdp) => Promise<void>>;

const readOnly = [
  'DescribeUserPool',
  'ListUserPools',
  'DescribeUserPoolClient',
  'ListUserPoolClients',
  'GetGroup',
  'ListGroups',
  'GetUser',
  'AdminGetUser',
  'AdminListGroupsForUser',
  'ListUsersInGroup',
  'ListUsers',
];

let t: TestIdp;
let poolId: string;
const scratch: string[] = [];
beforeAll(async () => {
  t = await startTestIdp();
  poolId = t.idp.pool.poolId;
});
afterAll(async () => {
  await t.close();
  await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })));
});

const unique = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** A confirmed user with a verified e-mail and `password`. */
async function user(x: TestIdp, verified = true) {
  const email = uniqueEmail('durable');
  await x.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: String(verified) },
      ],
    }),
  );
  await x.cognito.send(
    new sdk.AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return email;
}

async function signIn(x: TestIdp, email: string, pass = password) {
  const out = await x.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: x.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: pass, SECRET_HASH: x.secretHash(email) },
    }),
  );
  return out.AuthenticationResult!;
}

/** Refreshes with the backend client (whose secret hash is over the sub) or a public client. */
function refresh(x: TestIdp, token: string, sub?: string, clientId = x.backend.clientId) {
  return x.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: token, ...(sub ? { SECRET_HASH: x.secretHash(sub) } : {}) },
    }),
  );
}

const subOf = async (x: TestIdp, email: string) =>
  (await adminGet(x, email)).UserAttributes!.find((a) => a.Name === 'sub')!.Value!;
const adminGet = (x: TestIdp, email: string) =>
  x.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
const attr = async (x: TestIdp, email: string, name: string) =>
  (await adminGet(x, email)).UserAttributes!.find((a) => a.Name === name)?.Value;
const errorName = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: Error) => e.name,
  );
const groupsOf = async (x: TestIdp, email: string) =>
  (
    await x.cognito.send(new sdk.AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: email }))
  ).Groups!.map((g) => g.GroupName);
const newClient = async (x: TestIdp, flows: sdk.ExplicitAuthFlowsType[] = ['ALLOW_REFRESH_TOKEN_AUTH']) =>
  (
    await x.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: unique('c'),
        ExplicitAuthFlows: flows,
      }),
    )
  ).UserPoolClient!.ClientId!;
const newGroup = async (x: TestIdp) => {
  const GroupName = unique('g');
  await x.cognito.send(new sdk.CreateGroupCommand({ UserPoolId: poolId, GroupName }));
  return GroupName;
};
const signUp = async (x: TestIdp) => {
  const email = uniqueEmail('durable-signup');
  await x.cognito.send(
    new sdk.SignUpCommand({ ClientId: x.web.clientId, Username: email, Password: password }),
  );
  return email;
};

/**
 * Puts what a case just created on disk through an operation that commits (AdminCreateUser has its own
 * case), so a delete case cannot pass only because the create was never written.
 */
const settle = (x: TestIdp) =>
  x.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: uniqueEmail('settle'),
      MessageAction: 'SUPPRESS',
    }),
  );

/** Signs in, revokes through `revoke`, and checks the refresh token is refused after the restart. */
const revokes =
  (revoke: (x: TestIdp, email: string, tokens: sdk.AuthenticationResultType) => Promise<unknown>): Case =>
  async (x) => {
    const email = await user(x);
    const tokens = await signIn(x, email);
    const sub = await subOf(x, email);
    await revoke(x, email, tokens);
    return async (y) =>
      expect(await errorName(refresh(y, tokens.RefreshToken!, sub))).toBe('NotAuthorizedException');
  };

const cases: Record<string, Case> = {
  async CreateUserPool(x) {
    const made = await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }));
    const id = made.UserPool!.Id!;
    return async (y) =>
      expect((await y.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.Id).toBe(
        id,
      );
  },
  async DeleteUserPool(x) {
    const id = (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }))).UserPool!
      .Id!;
    await settle(x);
    await x.cognito.send(new sdk.DeleteUserPoolCommand({ UserPoolId: id }));
    return async (y) =>
      expect(await errorName(y.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id })))).toBe(
        'ResourceNotFoundException',
      );
  },
  async CreateUserPoolClient(x) {
    const id = await newClient(x);
    return async (y) =>
      expect(
        (await y.cognito.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id })))
          .UserPoolClient!.ClientId,
      ).toBe(id);
  },
  async UpdateUserPoolClient(x) {
    const id = await newClient(x);
    const name = unique('renamed');
    await x.cognito.send(
      new sdk.UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: id, ClientName: name }),
    );
    return async (y) =>
      expect(
        (await y.cognito.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id })))
          .UserPoolClient!.ClientName,
      ).toBe(name);
  },
  async DeleteUserPoolClient(x) {
    const id = await newClient(x);
    await settle(x);
    await x.cognito.send(new sdk.DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: id }));
    return async (y) =>
      expect(
        await errorName(
          y.cognito.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: id })),
        ),
      ).toBe('ResourceNotFoundException');
  },
  async CreateGroup(x) {
    const name = await newGroup(x);
    return async (y) =>
      expect(
        (await y.cognito.send(new sdk.GetGroupCommand({ UserPoolId: poolId, GroupName: name }))).Group!
          .GroupName,
      ).toBe(name);
  },
  async DeleteGroup(x) {
    const name = await newGroup(x);
    await settle(x);
    await x.cognito.send(new sdk.DeleteGroupCommand({ UserPoolId: poolId, GroupName: name }));
    return async (y) =>
      expect(
        await errorName(y.cognito.send(new sdk.GetGroupCommand({ UserPoolId: poolId, GroupName: name }))),
      ).toBe('ResourceNotFoundException');
  },
  async SignUp(x) {
    const email = await signUp(x);
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('UNCONFIRMED');
  },
  async ConfirmSignUp(x) {
    const email = await signUp(x);
    const code = await x.lastCode(email, 'signup');
    await x.cognito.send(
      new sdk.ConfirmSignUpCommand({ ClientId: x.web.clientId, Username: email, ConfirmationCode: code }),
    );
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('CONFIRMED');
  },
  async ResendConfirmationCode(x) {
    const email = await signUp(x);
    await x.cognito.send(
      new sdk.ResendConfirmationCodeCommand({ ClientId: x.web.clientId, Username: email }),
    );
    return async (y) => {
      const code = await y.lastCode(email, 'signup');
      await y.cognito.send(
        new sdk.ConfirmSignUpCommand({ ClientId: y.web.clientId, Username: email, ConfirmationCode: code }),
      );
      expect((await adminGet(y, email)).UserStatus).toBe('CONFIRMED');
    };
  },
  async ForgotPassword(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.ForgotPasswordCommand({ ClientId: x.web.clientId, Username: email }));
    return async (y) => {
      const code = await y.lastCode(email, 'reset');
      const Password = 'a brand new passphrase';
      await y.cognito.send(
        new sdk.ConfirmForgotPasswordCommand({
          ClientId: y.web.clientId,
          Username: email,
          ConfirmationCode: code,
          Password,
        }),
      );
      expect((await signIn(y, email, Password)).AccessToken).toBeTruthy();
    };
  },
  async ConfirmForgotPassword(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.ForgotPasswordCommand({ ClientId: x.web.clientId, Username: email }));
    const Password = 'a brand new passphrase';
    const ConfirmationCode = await x.lastCode(email, 'reset');
    await x.cognito.send(
      new sdk.ConfirmForgotPasswordCommand({
        ClientId: x.web.clientId,
        Username: email,
        ConfirmationCode,
        Password,
      }),
    );
    return async (y) => expect((await signIn(y, email, Password)).AccessToken).toBeTruthy();
  },
  async ChangePassword(x) {
    const email = await user(x);
    const { AccessToken } = await signIn(x, email);
    const ProposedPassword = 'a changed passphrase';
    await x.cognito.send(
      new sdk.ChangePasswordCommand({ AccessToken, PreviousPassword: password, ProposedPassword }),
    );
    return async (y) => expect((await signIn(y, email, ProposedPassword)).AccessToken).toBeTruthy();
  },
  async AdminSetUserPassword(x) {
    const email = await user(x);
    const Password = 'an admin-set passphrase';
    await x.cognito.send(
      new sdk.AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password, Permanent: true }),
    );
    return async (y) => expect((await signIn(y, email, Password)).AccessToken).toBeTruthy();
  },
  async AdminResetUserPassword(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: email }));
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('RESET_REQUIRED');
  },
  async UpdateUserAttributes(x) {
    const email = await user(x);
    const { AccessToken } = await signIn(x, email);
    await x.cognito.send(
      new sdk.UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: 'name', Value: 'Ada' }] }),
    );
    return async (y) => expect(await attr(y, email, 'name')).toBe('Ada');
  },
  async DeleteUser(x) {
    const email = await user(x);
    const { AccessToken } = await signIn(x, email);
    await x.cognito.send(new sdk.DeleteUserCommand({ AccessToken }));
    return async (y) => expect(await errorName(adminGet(y, email))).toBe('UserNotFoundException');
  },
  async GetUserAttributeVerificationCode(x) {
    const email = await user(x, false);
    const { AccessToken } = await signIn(x, email);
    await x.cognito.send(
      new sdk.GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }),
    );
    return async (y) => {
      const Code = await y.lastCode(email, 'verification');
      await y.cognito.send(new sdk.VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }));
      expect(await attr(y, email, 'email_verified')).toBe('true');
    };
  },
  async VerifyUserAttribute(x) {
    const email = await user(x, false);
    const { AccessToken } = await signIn(x, email);
    await x.cognito.send(
      new sdk.GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: 'email' }),
    );
    const Code = await x.lastCode(email, 'verification');
    await x.cognito.send(new sdk.VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code }));
    return async (y) => expect(await attr(y, email, 'email_verified')).toBe('true');
  },
  async AdminCreateUser(x) {
    const email = uniqueEmail('durable-created');
    await x.cognito.send(
      new sdk.AdminCreateUserCommand({ UserPoolId: poolId, Username: email, MessageAction: 'SUPPRESS' }),
    );
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  },
  async AdminDeleteUser(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    return async (y) => expect(await errorName(adminGet(y, email))).toBe('UserNotFoundException');
  },
  async AdminDisableUser(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    return async (y) => expect((await adminGet(y, email)).Enabled).toBe(false);
  },
  async AdminEnableUser(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    await x.cognito.send(new sdk.AdminEnableUserCommand({ UserPoolId: poolId, Username: email }));
    return async (y) => expect((await adminGet(y, email)).Enabled).toBe(true);
  },
  async AdminConfirmSignUp(x) {
    const email = await signUp(x);
    await x.cognito.send(new sdk.AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('CONFIRMED');
  },
  async AdminUpdateUserAttributes(x) {
    const email = await user(x);
    await x.cognito.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [{ Name: 'name', Value: 'Grace' }],
      }),
    );
    return async (y) => expect(await attr(y, email, 'name')).toBe('Grace');
  },
  async AdminAddUserToGroup(x) {
    const [email, group] = [await user(x), await newGroup(x)];
    await x.cognito.send(
      new sdk.AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: group }),
    );
    return async (y) => expect(await groupsOf(y, email)).toEqual([group]);
  },
  async AdminRemoveUserFromGroup(x) {
    const [email, group] = [await user(x), await newGroup(x)];
    await x.cognito.send(
      new sdk.AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: group }),
    );
    await x.cognito.send(
      new sdk.AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: group }),
    );
    return async (y) => expect(await groupsOf(y, email)).toEqual([]);
  },
  async InitiateAuth(x) {
    const email = await user(x);
    const sub = await subOf(x, email);
    const tokens = await signIn(x, email);
    return async (y) =>
      expect((await refresh(y, tokens.RefreshToken!, sub)).AuthenticationResult!.AccessToken).toBeTruthy();
  },
  async AdminInitiateAuth(x) {
    const clientId = await newClient(x, ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    const email = await user(x);
    const out = await x.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const token = out.AuthenticationResult!.RefreshToken!;
    return async (y) =>
      expect((await refresh(y, token, undefined, clientId)).AuthenticationResult!.AccessToken).toBeTruthy();
  },
  async RespondToAuthChallenge(x) {
    const email = await user(x);
    const session = await libraryAuthenticate(x.idp.url, poolId, x.web.clientId, email, password);
    const token = session.getRefreshToken().getToken();
    return async (y) =>
      expect(
        (await refresh(y, token, undefined, y.web.clientId)).AuthenticationResult!.AccessToken,
      ).toBeTruthy();
  },
  async AdminRespondToAuthChallenge(x) {
    const clientId = await newClient(x, ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    const email = uniqueEmail('durable-invited');
    const temporary = 'temporary passphrase 1';
    await x.cognito.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
      }),
    );
    const started = await x.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: temporary },
      }),
    );
    const NEW_PASSWORD = 'my own new passphrase';
    await x.cognito.send(
      new sdk.AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: started.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD },
      }),
    );
    return async (y) => expect((await signIn(y, email, NEW_PASSWORD)).AccessToken).toBeTruthy();
  },
  async GetTokensFromRefreshToken(x) {
    const made = await x.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: unique('rotating'),
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    const ClientId = made.UserPoolClient!.ClientId!;
    const email = await user(x);
    const first = await x.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const rotated = await x.cognito.send(
      new sdk.GetTokensFromRefreshTokenCommand({
        ClientId,
        RefreshToken: first.AuthenticationResult!.RefreshToken,
      }),
    );
    const RefreshToken = rotated.AuthenticationResult!.RefreshToken!;
    return async (y) => {
      const again = await y.cognito.send(
        new sdk.GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken }),
      );
      expect(again.AuthenticationResult!.AccessToken).toBeTruthy();
    };
  },
  GlobalSignOut: revokes((x, _email, tokens) =>
    x.cognito.send(new sdk.GlobalSignOutCommand({ AccessToken: tokens.AccessToken })),
  ),
  AdminUserGlobalSignOut: revokes((x, email) =>
    x.cognito.send(new sdk.AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: email })),
  ),
  RevokeToken: revokes((x, _email, tokens) =>
    x.cognito.send(
      new sdk.RevokeTokenCommand({
        Token: tokens.RefreshToken,
        ClientId: x.backend.clientId,
        ClientSecret: x.backend.clientSecret,
      }),
    ),
  ),
};

describe('every mutating operation commits before it answers', () => {
  it('has a durability case or a read-only entry for every operation the IdP answers', () => {
    const unclassified = Object.keys(operations).filter((op) => !(op in cases) && !readOnly.includes(op));
    // A new operation: add a case below if it changes state (and commit in it), else list it as read-only.
    expect(unclassified).toEqual([]);
    expect(Object.keys(cases).filter((op) => !(op in operations))).toEqual([]);
  });

  it.each(Object.keys(cases))('%s: the change survives a crash right after the answer', async (op) => {
    const check = await cases[op]!(t);
    // The folder as a crash at this moment would leave it (state.json is replaced atomically).
    const copy = await mkdtemp(join(tmpdir(), 'idp-crash-copy-'));
    scratch.push(copy);
    await cp(t.dataDir, copy, { recursive: true });
    const after = await startTestIdp({ dataDir: copy });
    try {
      await check(after);
    } finally {
      await after.close();
    }
  });
});
