import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  CreateGroupCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimsOf, uniqueEmail } from '../helpers.ts';
import { libraryAuthenticate } from '../srp-helpers.ts';
import { confirmedUser, type Event, errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp();
  await t.cognito.send(new CreateGroupCommand({ UserPoolId: t.poolId, GroupName: 'staff', Precedence: 1 }));
});
afterAll(() => t.close());
beforeEach(() => t.reset());

async function user(groups: string[] = []) {
  const email = await confirmedUser(t, 'auth');
  for (const GroupName of groups)
    await t.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: t.poolId, Username: email, GroupName }),
    );
  return email;
}

const passwordAuth = (email: string, ClientMetadata?: Record<string, string>) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
      ClientMetadata,
    }),
  );

describe('PreAuthentication and PostAuthentication', () => {
  it('USER_PASSWORD_AUTH: PreAuthentication gets ClientMetadata as validationData and may deny; PostAuthentication runs before tokens', async () => {
    await t.configure(['PreAuthentication', 'PostAuthentication']);
    const email = await user();
    const out = await passwordAuth(email, { device: 'kiosk-7' });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(t.events.PreAuthentication[0]).toMatchObject({
      triggerSource: 'PreAuthentication_Authentication',
      callerContext: { clientId: t.clientId },
      request: { userAttributes: { email }, validationData: { device: 'kiosk-7' } },
    });
    // InitiateAuth's ClientMetadata does not reach PostAuthentication (Cognito's rule).
    expect(t.events.PostAuthentication[0]).toMatchObject({
      triggerSource: 'PostAuthentication_Authentication',
      request: { userAttributes: { email }, newDeviceUsed: false },
    });
    expect(t.events.PostAuthentication[0].request.clientMetadata).toBeUndefined();

    t.on('PreAuthentication', () => {
      throw new Error('Sign-in from kiosks is disabled');
    });
    const err = await errorOf(passwordAuth(email, { device: 'kiosk-7' }));
    expect(err?.name).toBe('UserLambdaValidationException');
    expect(err?.message).toBe('PreAuthentication failed with error Sign-in from kiosks is disabled.');
  });

  it('an unknown user reaches PreAuthentication with userNotFound when existence errors are hidden', async () => {
    await t.configure(['PreAuthentication']);
    const ghost = uniqueEmail('ghost');
    const err = await errorOf(passwordAuth(ghost));
    expect(err?.name).toBe('NotAuthorizedException');
    expect(t.events.PreAuthentication[0]).toMatchObject({ userName: ghost, request: { userNotFound: true } });
  });

  it('SRP through amazon-cognito-identity-js: both triggers, and a PostAuthentication failure fails the sign-in', async () => {
    await t.configure(['PreAuthentication', 'PostAuthentication']);
    const email = await user();
    const session = await libraryAuthenticate(t.idp.url, t.poolId, t.clientId, email, password);
    expect(session.isValid()).toBe(true);
    expect(t.events.PreAuthentication).toHaveLength(1);
    expect(t.events.PostAuthentication).toHaveLength(1);
    t.on('PostAuthentication', () => {
      throw new Error('audit log unavailable');
    });
    const err = await errorOf(libraryAuthenticate(t.idp.url, t.poolId, t.clientId, email, password));
    expect(err?.message).toBe('PostAuthentication failed with error audit log unavailable.');
  });
});

describe('PreTokenGeneration', () => {
  it('V1_0: adds and suppresses ID-token claims, overrides groups in both tokens, cannot touch reserved claims', async () => {
    await t.configure(['PreTokenGeneration'], { preTokenVersion: 'V1_0' });
    t.on('PreTokenGeneration', (e: Event) => ({
      ...e,
      response: {
        claimsOverrideDetails: {
          claimsToAddOrOverride: { tenant: 'acme', sub: 'forged', email: 'shown@example.com' },
          claimsToSuppress: ['email_verified', 'token_use'],
          groupOverrideDetails: { groupsToOverride: ['readers'] },
        },
      },
    }));
    const email = await user(['staff']);
    const out = await passwordAuth(email);
    const event = t.events.PreTokenGeneration[0];
    expect(event).toMatchObject({
      version: '1',
      triggerSource: 'TokenGeneration_Authentication',
      request: { userAttributes: { email }, groupConfiguration: { groupsToOverride: ['staff'] } },
      response: { claimsOverrideDetails: null },
    });
    expect(event.request.scopes).toBeUndefined();
    const id = claimsOf(out.AuthenticationResult!.IdToken!);
    const access = claimsOf(out.AuthenticationResult!.AccessToken!);
    expect(id).toMatchObject({
      tenant: 'acme',
      email: 'shown@example.com',
      token_use: 'id',
      'cognito:groups': ['readers'],
    });
    expect(id.sub).not.toBe('forged');
    expect(id.email_verified).toBeUndefined();
    expect(access.tenant).toBeUndefined();
    expect(access['cognito:groups']).toEqual(['readers']);
  });

  it('V2_0: access-token claims and scopes, complex ID claims; refresh and NEW_PASSWORD_REQUIRED have their sources', async () => {
    await t.configure(['PreTokenGeneration'], { preTokenVersion: 'V2_0' });
    t.on('PreTokenGeneration', (e: Event) => ({
      ...e,
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { profile_flags: { beta: true, seats: 3 } } },
          accessTokenGeneration: {
            claimsToAddOrOverride: { plan: 'pro', client_id: 'forged' },
            scopesToAdd: ['items/read', 'aws.cognito.signin.user.admin2', 'aws.cognito.signin.user.admin'],
            scopesToSuppress: [],
          },
        },
      },
    }));
    const email = await user();
    const out = await passwordAuth(email);
    expect(t.events.PreTokenGeneration[0]).toMatchObject({
      version: '2',
      request: { scopes: ['aws.cognito.signin.user.admin'] },
    });
    const access = claimsOf(out.AuthenticationResult!.AccessToken!);
    expect(access.plan).toBe('pro');
    expect(access.client_id).toBe(t.clientId);
    expect(access.scope).toBe('aws.cognito.signin.user.admin items/read aws.cognito.signin.user.admin2');
    expect(claimsOf(out.AuthenticationResult!.IdToken!).profile_flags).toEqual({ beta: true, seats: 3 });
    const refreshed = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult!.RefreshToken! },
      }),
    );
    expect(claimsOf(refreshed.AuthenticationResult!.AccessToken!).plan).toBe('pro');
    expect(t.events.PreTokenGeneration[1].triggerSource).toBe('TokenGeneration_RefreshTokens');
    // GetTokensFromRefreshToken passes its ClientMetadata on; InitiateAuth's REFRESH_TOKEN_AUTH does not.
    await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult!.RefreshToken! },
        ClientMetadata: { via: 'initiate-auth' },
      }),
    );
    expect(t.events.PreTokenGeneration[2].request.clientMetadata).toBeUndefined();
    await t.cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: t.clientId,
        RefreshToken: out.AuthenticationResult!.RefreshToken!,
        ClientMetadata: { via: 'get-tokens' },
      }),
    );
    expect(t.events.PreTokenGeneration[3]).toMatchObject({
      triggerSource: 'TokenGeneration_RefreshTokens',
      request: { clientMetadata: { via: 'get-tokens' } },
    });

    const invited = uniqueEmail('first-login');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.poolId,
        Username: invited,
        TemporaryPassword: password,
        MessageAction: 'SUPPRESS',
      }),
    );
    const challenge = await passwordAuth(invited);
    await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: t.clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: invited, NEW_PASSWORD: `${password}-new` },
        ClientMetadata: { step: 'first-login' },
      }),
    );
    expect(t.events.PreTokenGeneration.at(-1)).toMatchObject({
      triggerSource: 'TokenGeneration_NewPasswordChallenge',
      request: { clientMetadata: { step: 'first-login' } },
    });
  });

  it('a V2_0 answer that is not the V2 shape is InvalidLambdaResponseException', async () => {
    await t.configure(['PreTokenGeneration'], { preTokenVersion: 'V2_0' });
    t.on('PreTokenGeneration', (e: Event) => ({
      ...e,
      response: { claimsAndScopeOverrideDetails: 'plan=pro' },
    }));
    const err = await errorOf(passwordAuth(await user()));
    expect(err?.name).toBe('InvalidLambdaResponseException');
  });

  it('V3_0 also customises client-credentials tokens (TokenGeneration_ClientCredentials); V2_0 does not run for them', async () => {
    await t.cognito.send(
      new CreateResourceServerCommand({
        UserPoolId: t.poolId,
        Identifier: 'items',
        Name: 'items',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
      }),
    );
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.poolId,
        ClientName: 'machine',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['items/read'],
      }),
    );
    const tokenRequest = (extra = '') =>
      fetch(`${t.idp.url}/oauth2/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${UserPoolClient!.ClientId}:${UserPoolClient!.ClientSecret}`).toString('base64')}`,
        },
        body: `grant_type=client_credentials&scope=items%2Fread${extra}`,
      });
    const machine = async (extra = '') => {
      const res = await tokenRequest(extra);
      expect(res.status).toBe(200);
      return claimsOf(((await res.json()) as { access_token: string }).access_token);
    };
    t.on('PreTokenGeneration', (e: Event) => ({
      ...e,
      response: {
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'ops' } },
        },
      },
    }));
    await t.configure(['PreTokenGeneration'], { preTokenVersion: 'V2_0' });
    expect((await machine()).tenant).toBeUndefined();
    expect(t.events.PreTokenGeneration).toHaveLength(0);
    await t.configure(['PreTokenGeneration'], { preTokenVersion: 'V3_0' });
    const claims = await machine();
    expect(claims).toMatchObject({ tenant: 'ops', sub: UserPoolClient!.ClientId, scope: 'items/read' });
    expect(t.events.PreTokenGeneration[0]).toMatchObject({
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
      callerContext: { clientId: UserPoolClient!.ClientId },
      request: { scopes: ['items/read'] },
    });
    expect(t.events.PreTokenGeneration[0].request.clientMetadata).toBeUndefined();
    // aws_client_metadata (URL-encoded JSON) reaches the function as clientMetadata.
    t.on('PreTokenGeneration', (e: Event) => ({
      ...e,
      response: {
        claimsAndScopeOverrideDetails: {
          accessTokenGeneration: { claimsToAddOrOverride: { env: e.request.clientMetadata?.environment } },
        },
      },
    }));
    const meta = encodeURIComponent(JSON.stringify({ environment: 'dev' }));
    expect((await machine(`&aws_client_metadata=${meta}`)).env).toBe('dev');
    expect(t.events.PreTokenGeneration[1].request.clientMetadata).toEqual({ environment: 'dev' });
    const bad = await tokenRequest(`&aws_client_metadata=${encodeURIComponent('["dev"]')}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_request');
  });
});
