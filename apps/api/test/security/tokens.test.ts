import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b64url,
  buildProbeApp,
  expectInvalidToken,
  expectProblem,
  keyServerEnv,
  signWithKey,
  startJwksServer,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

/** Forged and malformed access tokens against the real verifier, JWKS served over real loopback HTTP. */
describe('security: access tokens', () => {
  let keys: TestKeyServer;
  let attacker: TestKeyServer;
  let app: FastifyInstance;
  const now = () => Math.floor(Date.now() / 1000);
  const get = (token: string, url = '/probe/user') =>
    app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  const parts = (t: string) => t.split('.') as [string, string, string];

  beforeAll(async () => {
    keys = await startJwksServer();
    attacker = await startJwksServer({ poolId: keys.poolId });
    app = await buildProbeApp(testConfig(keyServerEnv(keys, 'testclient1,testclient2')), {
      verifier: { minRefetchIntervalMs: 1500 },
    });
    // Warm the JWKS so hit counts below measure only refetches.
    const ok = await get(keys.accessToken());
    expect(ok.statusCode).toBe(200);
  });
  afterAll(async () => {
    await app?.close();
    await keys?.stop();
    await attacker?.stop();
  });

  it('accepts a valid access token of each accepted client', async () => {
    for (const client_id of ['testclient1', 'testclient2']) {
      const res = await get(keys.accessToken({ client_id, 'cognito:groups': ['editor'] }));
      expect(res.statusCode).toBe(200);
      expect(res.json().groups).toEqual(['editor']);
    }
  });

  it('asks for credentials when there is no bearer token (RFC 6750 §3.1: no error code)', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }]) {
      const res = await app.inject({ url: '/probe/user', headers });
      const body = expectProblem(res, 401);
      expect(body.detail).toBe('A bearer access token is required.');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
    }
  });

  it('refuses a malformed Authorization header', async () => {
    expectInvalidToken(await app.inject({ url: '/probe/user', headers: { authorization: 'Bearer a b c' } }));
    expectInvalidToken(await get('not-a-jwt'));
  });

  it('refuses alg "none" (with and without a signature)', async () => {
    const claims = b64url(JSON.stringify(keys.accessClaims()));
    const header = b64url(JSON.stringify({ alg: 'none', kid: keys.kid }));
    expectInvalidToken(await get(`${header}.${claims}.`));
    expectInvalidToken(await get(`${header}.${claims}.${b64url('x')}`));
  });

  it('refuses HS256 signed with the public key as the HMAC secret', async () => {
    const input = `${b64url(JSON.stringify({ alg: 'HS256', kid: keys.kid }))}.${b64url(JSON.stringify(keys.accessClaims()))}`;
    const sig = createHmac('sha256', keys.publicKeyPem).update(input).digest('base64url');
    expectInvalidToken(await get(`${input}.${sig}`));
  });

  it('ignores keys embedded in the header (jwk) or pointed at (jku, x5u)', async () => {
    const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
    const before = attacker.hits();
    for (const extra of [
      { jwk: { ...attackerJwk, kid: keys.kid } },
      { jku: attacker.jwksUri },
      { x5u: attacker.url },
    ]) {
      const token = signWithKey(attacker.privateKey, keys.accessClaims(), {
        alg: 'RS256',
        kid: keys.kid,
        ...extra,
      });
      expectInvalidToken(await get(token));
    }
    expect(attacker.hits()).toBe(before);
  });

  it('refuses a token signed by another key under the right kid', async () => {
    expectInvalidToken(await get(attacker.sign(keys.accessClaims(), { alg: 'RS256', kid: keys.kid })));
  });

  it('refuses unknown kids and refetches the JWKS at most once per throttle interval', async () => {
    // Let the throttle window of the warm-up fetch pass, then hammer with forged kids.
    await new Promise((r) => setTimeout(r, 1600));
    const before = keys.hits();
    for (let i = 0; i < 5; i++) {
      expectInvalidToken(await get(attacker.sign(keys.accessClaims(), { alg: 'RS256', kid: `forged-${i}` })));
    }
    expect(keys.hits() - before).toBe(1);
    // Known keys keep working meanwhile.
    expect((await get(keys.accessToken())).statusCode).toBe(200);
  });

  it('refuses tampered claims and truncated signatures', async () => {
    const [h, p, s] = parts(keys.accessToken());
    const tampered = b64url(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'admin' }),
    );
    expectInvalidToken(await get(`${h}.${tampered}.${s}`));
    expectInvalidToken(await get(`${h}.${p}.${s.slice(0, -4)}`));
    expectInvalidToken(await get(`${h}.${p}.${s.slice(0, 10)}`));
    expectInvalidToken(await get(`${h}.${p}`));
  });

  it('refuses re-padded and otherwise re-encoded copies of a valid token', async () => {
    const token = keys.accessToken();
    expect((await get(token)).statusCode).toBe(200);
    const [h, p, s] = parts(token);
    for (const variant of [`${token}=`, `${token}==`, `${h}.${p}=.${s}`, `${h}=.${p}.${s}`]) {
      expectInvalidToken(await get(variant));
    }
  });

  it('refuses an expired token with "token expired"', async () => {
    expectInvalidToken(await get(keys.accessToken({ iat: now() - 7200, exp: now() - 5 })), 'token expired');
  });

  it('refuses a token that is not yet valid (nbf in the future)', async () => {
    expectInvalidToken(await get(keys.accessToken({ nbf: now() + 3600 })));
  });

  it('refuses a token without exp', async () => {
    expectInvalidToken(await get(keys.accessToken({ exp: undefined })));
  });

  it('refuses a token issued in the future (beyond the allowed skew)', async () => {
    expectInvalidToken(await get(keys.accessToken({ iat: now() + 600, exp: now() + 4200 })));
    // Within the skew it is fine.
    expect((await get(keys.accessToken({ iat: now() + 5 }))).statusCode).toBe(200);
  });

  it('refuses a token without iat', async () => {
    expectInvalidToken(await get(keys.accessToken({ iat: undefined })));
  });

  it('refuses a token from another issuer, even signed with the trusted key', async () => {
    expectInvalidToken(
      await get(keys.accessToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })),
    );
  });

  it("refuses another app client's token", async () => {
    expectInvalidToken(await get(keys.accessToken({ client_id: 'someoneelse' })));
  });

  it('refuses an ID token used as an access token', async () => {
    const id = keys.accessToken({
      token_use: 'id',
      aud: 'testclient1',
      client_id: undefined,
      email: 'a@b.c',
    });
    expectInvalidToken(await get(id));
    // Even with a client_id claim added.
    expectInvalidToken(await get(keys.accessToken({ token_use: 'id', aud: 'testclient1' })));
  });

  it('refuses an RS256 token whose signature has the wrong length (no 500 from crypto)', async () => {
    const [h, p] = parts(keys.accessToken());
    expectInvalidToken(await get(`${h}.${p}.${b64url(Buffer.alloc(3, 1))}`));
    expectInvalidToken(await get(`${h}.${p}.${b64url(Buffer.alloc(1000, 255))}`));
  });

  it('refuses oversized tokens and claims before any crypto', async () => {
    const big = keys.accessToken({ 'cognito:groups': Array.from({ length: 600 }, (_, i) => `group-${i}`) });
    expect(big.length).toBeGreaterThan(8192);
    expectInvalidToken(await get(big));
    // Under the token limit, but claims over the 5 KB claims limit.
    const wide = keys.accessToken({ padding: 'x'.repeat(5300) });
    expect(wide.length).toBeLessThan(8192);
    expectInvalidToken(await get(wide));
  });

  it('answers 403 insufficient_scope for a missing group', async () => {
    const res = await get(keys.accessToken({ 'cognito:groups': ['editor'] }), '/probe/admin');
    const body = expectProblem(res, 403);
    expect(body.detail).toBe('You are not allowed to do this.');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="requires group admin"',
    );
    expect((await get(keys.accessToken({ 'cognito:groups': ['admin'] }), '/probe/admin')).statusCode).toBe(
      200,
    );
  });

  it('answers 403 insufficient_scope for a missing scope, naming the scope', async () => {
    const res = await get(keys.accessToken(), '/probe/scope');
    expectProblem(res, 403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="insufficient scope", scope="items:write"',
    );
    expect((await get(keys.accessToken({ scope: 'openid items:write' }), '/probe/scope')).statusCode).toBe(
      200,
    );
  });

  it('checks the guard before the route: an invalid token on an admin route is 401, not 403', async () => {
    expectInvalidToken(await get(attacker.accessToken(), '/probe/admin'));
  });
});

describe('security: a token signed with an EC key is refused without a 500', () => {
  it('maps every verification failure to 401', async () => {
    const keys = await startJwksServer();
    const app = await buildProbeApp(testConfig(keyServerEnv(keys)));
    try {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const input = `${b64url(JSON.stringify({ alg: 'ES256', kid: keys.kid }))}.${b64url(JSON.stringify(keys.accessClaims()))}`;
      const { sign } = await import('node:crypto');
      const sig = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
      const res = await app.inject({
        url: '/probe/user',
        headers: { authorization: `Bearer ${input}.${sig}` },
      });
      expectInvalidToken(res);
    } finally {
      await app.close();
      await keys.stop();
    }
  });
});
