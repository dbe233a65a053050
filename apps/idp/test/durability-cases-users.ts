/** Durability cases for user, sign-in and token operations. */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import {
  adminGet,
  attr,
  type Case,
  errorName,
  groupsOf,
  newClient,
  newGroup,
  password,
  refresh,
  revokes,
  signIn,
  signUp,
  subOf,
  unique,
  user,
} from './durability-steps.ts';
import { uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

export const userCases: Record<string, Case> = {
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
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        Password,
        Permanent: true,
      }),
    );
    return async (y) => expect((await signIn(y, email, Password)).AccessToken).toBeTruthy();
  },
  async AdminResetUserPassword(x) {
    const email = await user(x);
    await x.cognito.send(
      new sdk.AdminResetUserPasswordCommand({ UserPoolId: x.idp.pool.poolId, Username: email }),
    );
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
      new sdk.AdminCreateUserCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
      }),
    );
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('FORCE_CHANGE_PASSWORD');
  },
  async AdminDeleteUser(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminDeleteUserCommand({ UserPoolId: x.idp.pool.poolId, Username: email }));
    return async (y) => expect(await errorName(adminGet(y, email))).toBe('UserNotFoundException');
  },
  async AdminDisableUser(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: x.idp.pool.poolId, Username: email }));
    return async (y) => expect((await adminGet(y, email)).Enabled).toBe(false);
  },
  async AdminEnableUser(x) {
    const email = await user(x);
    await x.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: x.idp.pool.poolId, Username: email }));
    await x.cognito.send(new sdk.AdminEnableUserCommand({ UserPoolId: x.idp.pool.poolId, Username: email }));
    return async (y) => expect((await adminGet(y, email)).Enabled).toBe(true);
  },
  async AdminConfirmSignUp(x) {
    const email = await signUp(x);
    await x.cognito.send(
      new sdk.AdminConfirmSignUpCommand({ UserPoolId: x.idp.pool.poolId, Username: email }),
    );
    return async (y) => expect((await adminGet(y, email)).UserStatus).toBe('CONFIRMED');
  },
  async AdminUpdateUserAttributes(x) {
    const email = await user(x);
    await x.cognito.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        UserAttributes: [{ Name: 'name', Value: 'Grace' }],
      }),
    );
    return async (y) => expect(await attr(y, email, 'name')).toBe('Grace');
  },
  async AdminAddUserToGroup(x) {
    const [email, group] = [await user(x), await newGroup(x)];
    await x.cognito.send(
      new sdk.AdminAddUserToGroupCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        GroupName: group,
      }),
    );
    return async (y) => expect(await groupsOf(y, email)).toEqual([group]);
  },
  async AdminRemoveUserFromGroup(x) {
    const [email, group] = [await user(x), await newGroup(x)];
    await x.cognito.send(
      new sdk.AdminAddUserToGroupCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        GroupName: group,
      }),
    );
    await x.cognito.send(
      new sdk.AdminRemoveUserFromGroupCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        GroupName: group,
      }),
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
        UserPoolId: x.idp.pool.poolId,
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
    const session = await libraryAuthenticate(x.idp.url, x.idp.pool.poolId, x.web.clientId, email, password);
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
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
      }),
    );
    const started = await x.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: x.idp.pool.poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: temporary },
      }),
    );
    const NEW_PASSWORD = 'my own new passphrase';
    await x.cognito.send(
      new sdk.AdminRespondToAuthChallengeCommand({
        UserPoolId: x.idp.pool.poolId,
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
        UserPoolId: x.idp.pool.poolId,
        ClientName: unique('rotating'),
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    const ClientId = made.UserPoolClient!.ClientId!;
    const email = await user(x);
    const first = await x.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: x.idp.pool.poolId,
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
    x.cognito.send(new sdk.AdminUserGlobalSignOutCommand({ UserPoolId: x.idp.pool.poolId, Username: email })),
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
