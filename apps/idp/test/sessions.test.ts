import { srpSignIn } from '@app/cognito-srp/sign-in';
import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  DeleteUserCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
const users = Array.from({ length: 5 }, (_, i) => uniqueEmail(`session${i}`));
beforeAll(async () => {
  t = await startTestIdp({ users: users.map((email) => ({ email, password: poolPassword })) });
});
afterAll(() => t.close());

async function signIn(email: string) {
  const out = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
    }),
  );
  return out.AuthenticationResult!;
}

const refresh = (token: string, hashOver: string, clientId = t.backend.clientId) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: token, SECRET_HASH: t.secretHash(hashOver) },
    }),
  );

const getUser = (accessToken: string) => t.cognito.send(new GetUserCommand({ AccessToken: accessToken }));

describe('refresh, sign-out and revocation', () => {
  it('refreshes: new access and ID tokens with the same origin_jti and auth_time, no new refresh token', async () => {
    const first = await signIn(users[0]!);
    const sub = claimsOf(first.AccessToken!).sub as string;
    t.clock.advance(2000);
    const out = await refresh(first.RefreshToken!, sub);
    const r = out.AuthenticationResult!;
    expect(r.RefreshToken).toBeUndefined();
    const [a, b] = [claimsOf(first.AccessToken!), claimsOf(r.AccessToken!)];
    expect(b.origin_jti).toBe(a.origin_jti);
    expect(b.auth_time).toBe(a.auth_time);
    expect(b.jti).not.toBe(a.jti);
    expect((await getUser(r.AccessToken!)).UserAttributes).toContainEqual({ Name: 'email', Value: users[0] });
  });

  it('refuses a refresh token from another client, a forged one, and a missing SECRET_HASH', async () => {
    const first = await signIn(users[0]!);
    const sub = claimsOf(first.AccessToken!).sub as string;
    const other = await t.cognito
      .send(
        new InitiateAuthCommand({
          ClientId: t.web.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
        }),
      )
      .catch((e) => e);
    expect(other.message).toBe('Invalid Refresh Token');
    expect((await refresh(`${first.RefreshToken!}x`, sub).catch((e) => e)).message).toBe(
      'Invalid Refresh Token',
    );
    const noHash = await t.cognito
      .send(
        new InitiateAuthCommand({
          ClientId: t.backend.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
        }),
      )
      .catch((e) => e);
    expect(noHash.message).toContain('configured for secret but secret was not received');
  });

  it('GlobalSignOut revokes every session: GetUser and refresh are refused afterwards', async () => {
    const one = await signIn(users[1]!);
    const two = await srpSignIn(
      t.cognito,
      { userPoolId: t.idp.pool.poolId, clientId: t.web.clientId },
      users[1]!,
      poolPassword,
    );
    const sub = claimsOf(one.AccessToken!).sub as string;
    await getUser(one.AccessToken!);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: one.AccessToken! }));
    for (const token of [one.AccessToken!, two.AuthenticationResult!.AccessToken!]) {
      const err = await getUser(token).catch((e) => e);
      expect(err.name).toBe('NotAuthorizedException');
      expect(err.message).toBe('Access Token has been revoked');
    }
    expect((await refresh(one.RefreshToken!, sub).catch((e) => e)).message).toBe(
      'Refresh Token has been revoked',
    );
    // A new sign-in works again.
    const again = await signIn(users[1]!);
    await getUser(again.AccessToken!);
  });

  it('RevokeToken revokes one refresh token and the access tokens issued from it, not other sessions', async () => {
    const one = await signIn(users[2]!);
    const two = await signIn(users[2]!);
    const sub = claimsOf(one.AccessToken!).sub as string;
    const refreshed = (await refresh(one.RefreshToken!, sub)).AuthenticationResult!;
    const noSecret = await t.cognito
      .send(new RevokeTokenCommand({ ClientId: t.backend.clientId, Token: one.RefreshToken! }))
      .catch((e) => e);
    expect(noSecret.name).toBe('NotAuthorizedException');
    await t.cognito.send(
      new RevokeTokenCommand({
        ClientId: t.backend.clientId,
        ClientSecret: t.backend.clientSecret,
        Token: one.RefreshToken!,
      }),
    );
    expect((await getUser(one.AccessToken!).catch((e) => e)).message).toBe('Access Token has been revoked');
    expect((await getUser(refreshed.AccessToken!).catch((e) => e)).message).toBe(
      'Access Token has been revoked',
    );
    expect((await refresh(one.RefreshToken!, sub).catch((e) => e)).message).toBe(
      'Refresh Token has been revoked',
    );
    await getUser(two.AccessToken!);
    await refresh(two.RefreshToken!, sub);
    const access = await t.cognito
      .send(
        new RevokeTokenCommand({
          ClientId: t.backend.clientId,
          ClientSecret: t.backend.clientSecret,
          Token: two.AccessToken!,
        }),
      )
      .catch((e) => e);
    expect(access.name).toBe('UnsupportedTokenTypeException');
  });

  it('AdminUserGlobalSignOut, disabling and expiry all stop access tokens; refresh of a disabled user fails', async () => {
    const s = await signIn(users[3]!);
    const sub = claimsOf(s.AccessToken!).sub as string;
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: t.idp.pool.poolId, Username: users[3]! }));
    expect((await getUser(s.AccessToken!).catch((e) => e)).message).toBe('User is disabled.');
    expect((await refresh(s.RefreshToken!, sub).catch((e) => e)).message).toBe('User is disabled.');
    await t.cognito.send(new AdminEnableUserCommand({ UserPoolId: t.idp.pool.poolId, Username: users[3]! }));
    await getUser(s.AccessToken!);

    t.clock.advance(3600_000 + 1000);
    expect((await getUser(s.AccessToken!).catch((e) => e)).message).toBe('Access Token has expired');
    const fresh = (await refresh(s.RefreshToken!, sub)).AuthenticationResult!;
    await getUser(fresh.AccessToken!);

    await t.cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: t.idp.pool.poolId, Username: users[3]! }),
    );
    expect((await getUser(fresh.AccessToken!).catch((e) => e)).message).toBe('Access Token has been revoked');

    const forged = `${fresh.AccessToken!.slice(0, -4)}AAAA`;
    expect((await getUser(forged).catch((e) => e)).message).toBe('Invalid Access Token');
    expect((await getUser(fresh.IdToken!).catch((e) => e)).message).toBe('Invalid Access Token');
  });

  it('expires refresh tokens after the client lifetime (30 days)', async () => {
    const s = await signIn(users[4]!);
    const sub = claimsOf(s.AccessToken!).sub as string;
    t.clock.advance(30 * 86400_000 + 1000);
    expect((await refresh(s.RefreshToken!, sub).catch((e) => e)).message).toBe('Refresh Token has expired');
  });

  it('DeleteUser removes the caller and ends their sessions', async () => {
    const email = uniqueEmail('delete-me');
    const extra = await startTestIdp({ users: [{ email, password: poolPassword }] });
    try {
      const out = await extra.cognito.send(
        new InitiateAuthCommand({
          ClientId: extra.backend.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: extra.secretHash(email) },
        }),
      );
      await extra.cognito.send(
        new DeleteUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! }),
      );
      const err = await extra.cognito
        .send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! }))
        .catch((e) => e);
      expect(err.name).toBe('NotAuthorizedException');
      const signIn = await extra.cognito
        .send(
          new InitiateAuthCommand({
            ClientId: extra.backend.clientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: extra.secretHash(email) },
          }),
        )
        .catch((e) => e);
      expect(signIn.message).toBe('Incorrect username or password.');
    } finally {
      await extra.close();
    }
  });
});
