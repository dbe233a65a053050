import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildProbeApp,
  expectInvalidToken,
  expectProblem,
  idpEnv,
  passwordSignIn,
  startTestIdp,
  type TestIdp,
  testConfig,
} from '../support/index.ts';

const PASSWORD = 'correct horse battery staple';

/** Real tokens from apps/idp (RS256, JWKS over loopback http) through the real verifier and guards. */
describe('security: tokens issued by the local IdP', () => {
  let idp: TestIdp;
  let app: FastifyInstance;
  let tokens: { access: string; id: string };
  let adminAccess: string;

  const signIn = (email: string) => passwordSignIn(idp, email, PASSWORD);

  beforeAll(async () => {
    idp = await startTestIdp({
      users: [
        { email: 'reader@example.com', password: PASSWORD },
        { email: 'boss@example.com', password: PASSWORD, groups: ['admin'] },
      ],
    });
    app = await buildProbeApp(testConfig(idpEnv(idp)));
    tokens = await signIn('reader@example.com');
    adminAccess = (await signIn('boss@example.com')).access;
  });
  afterAll(async () => {
    await app?.close();
    await idp?.stop();
  });

  const get = (token: string, url = '/probe/user') =>
    app.inject({ url, headers: { authorization: `Bearer ${token}` } });

  it('accepts the access token and exposes the caller', async () => {
    const res = await get(tokens.access);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().groups).toEqual([]);
  });

  it('refuses the ID token as an access token', async () => {
    expectInvalidToken(await get(tokens.id));
  });

  it('enforces groups from cognito:groups', async () => {
    expectProblem(await get(tokens.access, '/probe/admin'), 403);
    expect((await get(adminAccess, '/probe/admin')).statusCode).toBe(200);
  });

  it('refuses a re-padded copy and, once revoked, the token itself', async () => {
    expectInvalidToken(await get(`${tokens.access}=`));
    const payload = JSON.parse(Buffer.from(tokens.access.split('.')[1]!, 'base64url').toString());
    await app.revocation.revokeToken({
      sub: payload.sub,
      originJti: payload.origin_jti,
      jti: payload.jti,
      exp: payload.exp,
    });
    expectInvalidToken(await get(tokens.access), 'token revoked');
  });
});
