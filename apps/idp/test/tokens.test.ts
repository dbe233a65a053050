import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessTokenClaimNames,
  claimsOf,
  headerOf,
  idTokenClaimNames,
  poolPassword,
  startTestIdp,
  type TestIdp,
  uniqueEmail,
} from './helpers.ts';
import { localVerifier } from './verifier.ts';

let t: TestIdp;
const email = uniqueEmail('tokens');
let tokens: { AccessToken?: string; IdToken?: string; RefreshToken?: string };

beforeAll(async () => {
  t = await startTestIdp({
    users: [{ email, password: poolPassword, name: 'Grace Hopper', groups: ['editor', 'admin'] }],
  });
  const out = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
    }),
  );
  tokens = out.AuthenticationResult!;
});
afterAll(() => t.close());

const tamper = (jwt: string, change: (claims: Record<string, unknown>) => void) => {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  change(claims);
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
};

describe('tokens, JWKS and discovery', () => {
  it('serves the JWKS and OpenID configuration at the issuer actually served', async () => {
    const { issuer, jwksUri, poolId } = t.idp.pool;
    expect(issuer).toBe(`${t.idp.url}/${poolId}`);
    expect(poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    const configRes = await fetch(`${issuer}/.well-known/openid-configuration`);
    const config = (await configRes.json()) as Record<string, unknown>;
    expect(config.issuer).toBe(issuer);
    expect(config.jwks_uri).toBe(jwksUri);
    const jwks = (await (await fetch(jwksUri)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(2);
    for (const k of jwks.keys) expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect((await fetch(`${t.idp.url}/us-east-1_nope/.well-known/jwks.json`)).status).toBe(404);
  });

  it('issues Cognito-shaped access and ID tokens signed with different keys', () => {
    const access = claimsOf(tokens.AccessToken!);
    const id = claimsOf(tokens.IdToken!);
    expect(headerOf(tokens.AccessToken!).kid).not.toBe(headerOf(tokens.IdToken!).kid);
    expect(headerOf(tokens.AccessToken!).alg).toBe('RS256');
    expect(Object.keys(access).sort()).toEqual(accessTokenClaimNames);
    // Claim by claim what Cognito's ID token for an e-mail user carries (no at_hash/nonce outside OAuth).
    expect(Object.keys(id).sort()).toEqual(idTokenClaimNames);
    expect(access).toMatchObject({
      version: 2,
      iss: t.idp.pool.issuer,
      client_id: t.backend.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      'cognito:groups': ['admin', 'editor'],
      username: access.sub,
    });
    expect((access.exp as number) - (access.iat as number)).toBe(3600);
    expect(id).toMatchObject({
      aud: t.backend.clientId,
      email,
      email_verified: true,
      name: 'Grace Hopper',
      token_use: 'id',
      'cognito:username': access.sub,
      'cognito:groups': ['admin', 'editor'],
      origin_jti: access.origin_jti,
      sub: access.sub,
    });
    expect(id.jti).not.toBe(access.jti);
  });

  it('passes aws-jwt-verify with the served issuer and JWKS, and fails once tampered', async () => {
    const pool = t.idp.pool;
    const accessVerifier = localVerifier({ ...pool, clientIds: [t.backend.clientId], tokenUse: 'access' });
    const idVerifier = localVerifier({ ...pool, clientIds: [t.backend.clientId], tokenUse: 'id' });
    await expect(accessVerifier.verify(tokens.AccessToken!)).resolves.toMatchObject({ token_use: 'access' });
    await expect(idVerifier.verify(tokens.IdToken!)).resolves.toMatchObject({ email });

    await expect(
      accessVerifier.verify(tamper(tokens.AccessToken!, (c) => (c['cognito:groups'] = ['admin', 'root']))),
    ).rejects.toThrow();
    await expect(
      idVerifier.verify(tamper(tokens.IdToken!, (c) => (c.email = 'mallory@example.com'))),
    ).rejects.toThrow();
    // An ID token is not an access token, and a token for another client is refused.
    await expect(accessVerifier.verify(tokens.IdToken!)).rejects.toThrow();
    const otherClient = localVerifier({ ...pool, clientIds: [t.web.clientId], tokenUse: 'access' });
    await expect(otherClient.verify(tokens.AccessToken!)).rejects.toThrow();
  });

  it('honours the test-only lifetime override', async () => {
    const short = await startTestIdp({
      tokenValiditySeconds: { access: 30, id: 45 },
      users: [{ email, password: poolPassword }],
    });
    try {
      const out = await short.cognito.send(
        new InitiateAuthCommand({
          ClientId: short.backend.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: short.secretHash(email) },
        }),
      );
      const r = out.AuthenticationResult!;
      expect(r.ExpiresIn).toBe(30);
      const id = claimsOf(r.IdToken!);
      expect((id.exp as number) - (id.iat as number)).toBe(45);
    } finally {
      await short.close();
    }
  });
});
