import { srpSignIn } from '@app/cognito-srp/sign-in';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devicePassword, devicePool, passwordSignIn } from './device-helpers.ts';
import { startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { errorOf, newUser, setMfa, totpNow, turnOnTotp, wrongCode } from './mfa-helpers.ts';
import { callback, FormBrowser } from './oauth-helpers.ts';

// AdminListUserAuthEvents through the AWS SDK: what sign-ins and account changes leave behind in a
// pool with threat protection, newest first, paged; and Cognito's refusal without it.
let t: TestIdp;
let poolId: string;
let clientId: string;
beforeAll(async () => {
  t = await startTestIdp();
  const pool = await t.cognito.send(
    new sdk.CreateUserPoolCommand({
      PoolName: 'auth-events',
      UsernameAttributes: ['email'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
    }),
  );
  poolId = pool.UserPool!.Id!;
  clientId = (
    await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'events',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
  ).UserPoolClient!.ClientId!;
});
afterAll(() => t.close());

const events = (Username: string, MaxResults?: number, NextToken?: string) =>
  t.cognito.send(
    new sdk.AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username, MaxResults, NextToken }),
  );

describe('AdminListUserAuthEvents', () => {
  it('lists failed and passed sign-ins (password and SRP), password changes and resets, newest first', async () => {
    const pool = { poolId, clientId };
    const email = await newUser(t, 'events', poolId, devicePassword);
    await errorOf(
      t.cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: 'Wrong-password-1' },
        }),
      ),
    );
    t.clock.advance(1000);
    const signedIn = await passwordSignIn(t, pool, email);
    t.clock.advance(1000);
    await srpSignIn(t.cognito, { userPoolId: poolId, clientId }, email, devicePassword);
    t.clock.advance(1000);
    await t.cognito.send(
      new sdk.ChangePasswordCommand({
        AccessToken: signedIn.AuthenticationResult!.AccessToken!,
        PreviousPassword: devicePassword,
        ProposedPassword: 'Another-horse-8-battery',
      }),
    );
    t.clock.advance(1000);
    await t.cognito.send(new sdk.ForgotPasswordCommand({ ClientId: clientId, Username: email }));

    const all = await events(email);
    expect(all.AuthEvents?.map((e) => [e.EventType, e.EventResponse, e.ChallengeResponses])).toEqual([
      ['ForgotPassword', 'Pass', []],
      ['PasswordChange', 'Pass', [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]],
      ['SignIn', 'Pass', [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]],
      ['SignIn', 'Pass', [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]],
      ['SignIn', 'Fail', [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]],
    ]);
    const first = all.AuthEvents![0]!;
    expect(first.EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.CreationDate?.getTime()).toBe(t.clock.now);
    expect(first.EventRisk).toEqual({ RiskDecision: 'NoRisk', CompromisedCredentialsDetected: false });
    expect(first.EventContextData?.IpAddress).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(first.EventContextData?.DeviceName).toContain('aws-sdk-js');

    const page1 = await events(email, 2);
    const page2 = await events(email, 2, page1.NextToken);
    const page3 = await events(email, 2, page2.NextToken);
    expect([...page1.AuthEvents!, ...page2.AuthEvents!, ...page3.AuthEvents!].map((e) => e.EventId)).toEqual(
      all.AuthEvents!.map((e) => e.EventId),
    );
    expect(page3.NextToken).toBeUndefined();
  });

  it('records a wrong MFA code as a failed sign-in (Password Success, Mfa Failure), then the MFA pass', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true }, poolId);
    const email = await newUser(t, 'events-mfa', poolId, devicePassword);
    const pool = { poolId, clientId };
    const first = await passwordSignIn(t, pool, email);
    const secret = await turnOnTotp(t, first.AuthenticationResult!.AccessToken!);
    const answer = async (code: string) => {
      const start = await passwordSignIn(t, pool, email);
      return t.cognito.send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: start.Session!,
          ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
        }),
      );
    };
    expect(await errorOf(answer(wrongCode(t, secret)))).toMatchObject({ name: 'CodeMismatchException' });
    t.clock.advance(1000);
    await answer(totpNow(t, secret));
    const password = { ChallengeName: 'Password', ChallengeResponse: 'Success' };
    const listed = await events(email);
    expect(listed.AuthEvents?.map((e) => [e.EventType, e.EventResponse, e.ChallengeResponses])).toEqual([
      ['SignIn', 'Pass', [password, { ChallengeName: 'Mfa', ChallengeResponse: 'Success' }]],
      ['SignIn', 'Fail', [password, { ChallengeName: 'Mfa', ChallengeResponse: 'Failure' }]],
      ['SignIn', 'Pass', [password]],
    ]);
  });

  it('records a resent confirmation code (ResendCode) after the SignUp', async () => {
    const pool = await t.cognito.send(
      new sdk.CreateUserPoolCommand({
        PoolName: 'auth-events-resend',
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      }),
    );
    const UserPoolId = pool.UserPool!.Id!;
    const { UserPoolClient } = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({ UserPoolId, ClientName: 'resend' }),
    );
    const email = uniqueEmail('events-resend');
    const ClientId = UserPoolClient!.ClientId!;
    await t.cognito.send(new sdk.SignUpCommand({ ClientId, Username: email, Password: devicePassword }));
    t.clock.advance(1000);
    await t.cognito.send(new sdk.ResendConfirmationCodeCommand({ ClientId, Username: email }));
    const listed = await t.cognito.send(
      new sdk.AdminListUserAuthEventsCommand({ UserPoolId, Username: email }),
    );
    expect(listed.AuthEvents?.map((e) => [e.EventType, e.EventResponse, e.ChallengeResponses])).toEqual([
      ['ResendCode', 'Pass', []],
      ['SignUp', 'Pass', []],
    ]);
  });

  it('records managed-login sign-ins (a wrong password, then the right one) with the address', async () => {
    const { UserPoolClient } = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'events-hosted',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [callback],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    const email = await newUser(t, 'events-hosted', poolId, devicePassword);
    const browser = new FormBrowser(t.idp.url);
    const authorize = `/oauth2/authorize?${new URLSearchParams({ client_id: UserPoolClient!.ClientId!, response_type: 'code', redirect_uri: callback, scope: 'openid email' })}`;
    const post = async (password: string) => {
      const page = await browser.get((await browser.get(authorize)).location);
      const { action, hidden } = FormBrowser.form(page.text);
      return browser.post(action, { ...hidden, username: email, password });
    };
    expect((await post('Wrong-password-1')).status).toBe(400);
    t.clock.advance(1000);
    expect((await post(devicePassword)).location.startsWith(`${callback}?code=`)).toBe(true);
    const listed = await events(email);
    expect(listed.AuthEvents?.map((e) => [e.EventType, e.EventResponse, e.ChallengeResponses])).toEqual([
      ['SignIn', 'Pass', [{ ChallengeName: 'Password', ChallengeResponse: 'Success' }]],
      ['SignIn', 'Fail', [{ ChallengeName: 'Password', ChallengeResponse: 'Failure' }]],
    ]);
    expect(listed.AuthEvents![0]!.EventContextData?.IpAddress).toMatch(
      /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/,
    );
  });

  it('answers UserPoolAddOnNotEnabledException for a pool without threat protection', async () => {
    const plain = await devicePool(t, 'no-threat-protection');
    const email = await newUser(t, 'events-off', plain.poolId, devicePassword);
    expect(
      await errorOf(
        t.cognito.send(new sdk.AdminListUserAuthEventsCommand({ UserPoolId: plain.poolId, Username: email })),
      ),
    ).toMatchObject({ name: 'UserPoolAddOnNotEnabledException' });
    expect(await errorOf(events('nobody@example.com'))).toEqual({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
  });
});
