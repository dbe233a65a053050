import {
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
const email = uniqueEmail('rotation');
beforeAll(async () => {
  t = await startTestIdp({ users: [{ email, password: poolPassword }] });
});
afterAll(() => t.close());

async function newClient(rotation?: { Feature: 'ENABLED' | 'DISABLED'; RetryGracePeriodSeconds?: number }) {
  const out = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: t.idp.pool.poolId,
      ClientName: 'rotation',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: rotation,
    }),
  );
  return out.UserPoolClient!;
}

async function signIn(clientId: string) {
  const out = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
    }),
  );
  return out.AuthenticationResult!;
}

const getTokens = (ClientId: string, RefreshToken: string, ClientSecret?: string) =>
  t.cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken, ClientSecret }));
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: Error) => `${e.name}: ${e.message}`,
  );

describe('GetTokensFromRefreshToken', () => {
  it('without rotation: new access and ID tokens of the same session, no refresh token', async () => {
    const client = await newClient();
    expect(client.RefreshTokenRotation).toEqual({ Feature: 'DISABLED', RetryGracePeriodSeconds: 0 });
    const first = await signIn(client.ClientId!);
    t.clock.advance(1000);
    const out = (await getTokens(client.ClientId!, first.RefreshToken!)).AuthenticationResult!;
    expect(out.RefreshToken).toBeUndefined();
    expect(out.ExpiresIn).toBe(3600);
    expect(claimsOf(out.AccessToken!).origin_jti).toBe(claimsOf(first.AccessToken!).origin_jti);
    expect(claimsOf(out.IdToken!).email).toBe(email);
    // The same token keeps working.
    await expect(getTokens(client.ClientId!, first.RefreshToken!)).resolves.toBeDefined();
  });

  it('with rotation and no grace period: a new refresh token each time; the old one is a reuse', async () => {
    const client = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 0 });
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: t.idp.pool.poolId, ClientId: client.ClientId! }),
    );
    expect(described.UserPoolClient!.RefreshTokenRotation).toEqual({
      Feature: 'ENABLED',
      RetryGracePeriodSeconds: 0,
    });
    const first = await signIn(client.ClientId!);
    const second = (await getTokens(client.ClientId!, first.RefreshToken!)).AuthenticationResult!;
    expect(second.RefreshToken).toBeDefined();
    expect(second.RefreshToken).not.toBe(first.RefreshToken);
    expect(claimsOf(second.AccessToken!).origin_jti).toBe(claimsOf(first.AccessToken!).origin_jti);
    expect(await failure(getTokens(client.ClientId!, first.RefreshToken!))).toBe(
      'RefreshTokenReuseException: Refresh token has been rotated and can no longer be used.',
    );
    const third = (await getTokens(client.ClientId!, second.RefreshToken!)).AuthenticationResult!;
    expect(third.RefreshToken).not.toBe(second.RefreshToken);
    await t.cognito.send(new GetUserCommand({ AccessToken: third.AccessToken! }));
  });

  it('with a grace period the replaced token works until it ends', async () => {
    const client = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    const first = await signIn(client.ClientId!);
    await getTokens(client.ClientId!, first.RefreshToken!);
    t.clock.advance(29_000);
    const retry = (await getTokens(client.ClientId!, first.RefreshToken!)).AuthenticationResult!;
    expect(retry.RefreshToken).toBeDefined();
    t.clock.advance(2_000);
    expect(await failure(getTokens(client.ClientId!, first.RefreshToken!))).toMatch(
      /^RefreshTokenReuseException/,
    );
    await expect(getTokens(client.ClientId!, retry.RefreshToken!)).resolves.toBeDefined();
  });

  it('refuses REFRESH_TOKEN_AUTH on a rotating client, and revoking any token of the chain ends it', async () => {
    const client = await newClient({ Feature: 'ENABLED' });
    const first = await signIn(client.ClientId!);
    const viaInitiate = t.cognito.send(
      new InitiateAuthCommand({
        ClientId: client.ClientId!,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
      }),
    );
    expect(await failure(viaInitiate)).toMatch(
      /^InvalidParameterException: Refresh token rotation is enabled/,
    );
    const next = (await getTokens(client.ClientId!, first.RefreshToken!)).AuthenticationResult!;
    await t.cognito.send(new RevokeTokenCommand({ ClientId: client.ClientId!, Token: next.RefreshToken! }));
    expect(await failure(getTokens(client.ClientId!, next.RefreshToken!))).toBe(
      'NotAuthorizedException: Refresh Token has been revoked',
    );
    expect(await failure(t.cognito.send(new GetUserCommand({ AccessToken: next.AccessToken! })))).toBe(
      'NotAuthorizedException: Access Token has been revoked',
    );
  });

  it('applies the ClientSecret rules and refuses tokens of other clients', async () => {
    const signedIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
      }),
    );
    const token = signedIn.AuthenticationResult!.RefreshToken!;
    expect(await failure(getTokens(t.backend.clientId, token))).toBe(
      `NotAuthorizedException: Client ${t.backend.clientId} is configured for secret but secret was not received`,
    );
    expect(await failure(getTokens(t.backend.clientId, token, 'wrong'))).toBe(
      `NotAuthorizedException: Unable to verify secret hash for client ${t.backend.clientId}`,
    );
    await expect(getTokens(t.backend.clientId, token, t.backend.clientSecret)).resolves.toBeDefined();
    expect(await failure(getTokens(t.web.clientId, token))).toBe(
      'NotAuthorizedException: Invalid Refresh Token',
    );
    expect(await failure(getTokens('nosuchclient', token))).toBe(
      'ResourceNotFoundException: User pool client nosuchclient does not exist.',
    );
  });

  it('validates RefreshTokenRotation like Cognito and resets it on an update that omits it', async () => {
    const bad = t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.idp.pool.poolId,
        ClientName: 'bad',
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 },
      }),
    );
    expect(await failure(bad)).toMatch(/^InvalidParameterException: .*less than or equal to 60/);
    const client = await newClient({ Feature: 'ENABLED', RetryGracePeriodSeconds: 10 });
    const updated = await t.cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: t.idp.pool.poolId, ClientId: client.ClientId! }),
    );
    expect(updated.UserPoolClient!.RefreshTokenRotation).toEqual({
      Feature: 'DISABLED',
      RetryGracePeriodSeconds: 0,
    });
  });
});
