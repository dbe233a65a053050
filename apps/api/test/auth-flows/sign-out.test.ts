/**
 * POST /auth/sign-out — "sign out this session" in the API (ADRs 0070, 0106): against the real local IdP,
 * Postgres and Redis, one user with two sign-in sessions; revoking one must leave the other alone.
 * The IdP side (a refresh token in the body, refreshes of revoked sessions) is in
 * test/security/sessions-end.test.ts.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revocationKeys } from '../../src/auth/revocation.ts';
import { loggerOptions } from '../../src/logging.ts';
import type { RedisStore } from '../../src/stores/index.ts';
import { client } from './helpers.ts';
import { type RealStack, startRealStack } from './real-stack.ts';

let stack: RealStack;
let app: FastifyInstance;
let store: RedisStore;
let redisPrefix: string;
const logLines: string[] = [];
/** Every token this file obtained, to check none reached a log line. */
const issued: string[] = [];
const alice = { email: 'revoke-alice@example.com', password: 'alice password 123', name: 'Alice' };
const bob = { email: 'revoke-bob@example.com', password: 'bob password 1234', name: 'Bob' };

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  stack = await startRealStack('sign-out', {
    users: [alice, bob],
    logger: (config) => ({ ...(loggerOptions({ ...config, logLevel: 'info' }) as object), stream: sink }),
  });
  ({ app, store, redisPrefix } = stack);
});
afterAll(() => stack?.close());

type Tokens = { access_token: string; refresh_token: string };

async function login(c: ReturnType<typeof client>, who: { email: string; password: string }) {
  const res = await c.post('login', { email: who.email, password: who.password });
  expect(res.statusCode, res.body).toBe(200);
  const tokens = res.json() as Tokens;
  issued.push(tokens.access_token, tokens.refresh_token);
  return tokens;
}

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

function expectInvalidTokenProblem(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  expect(res.json()).toMatchObject({ status: 401 });
}

describe('POST /auth/sign-out signs out the calling session only', () => {
  it('session A is refused at once (refreshes included), session B and other users keep working', async () => {
    const c = client(app);
    const a = await login(c, alice);
    const b = await login(c, alice);
    const other = await login(c, bob);
    // Two sign-ins are two sessions: different origin_jti.
    expect(claims(a.access_token).origin_jti).toEqual(expect.any(String));
    expect(claims(a.access_token).origin_jti).not.toBe(claims(b.access_token).origin_jti);
    for (const t of [a, b, other]) expect((await c.get('/users/me', t.access_token)).statusCode).toBe(200);

    const revoked = await c.post('sign-out', undefined, a.access_token);
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect(revoked.body).toBe('');

    for (const path of ['/users/me', '/items']) expectInvalidTokenProblem(await c.get(path, a.access_token));
    expect((await c.get('/users/me', b.access_token)).statusCode).toBe(200);
    expect((await c.get('/items', b.access_token)).statusCode).toBe(200);
    expect((await c.get('/users/me', other.access_token)).statusCode).toBe(200);

    // Only ids were written, no per-user cut-off (that is /sign-out-everywhere's), never the token.
    const keys = await store.client.keys(`${redisPrefix}rv:*`);
    const { sub, jti, origin_jti } = claims(a.access_token) as {
      sub: string;
      jti: string;
      origin_jti: string;
    };
    expect(keys.map((k) => k.slice(redisPrefix.length)).sort()).toEqual(
      [revocationKeys.jti(sub, jti), revocationKeys.originJti(sub, origin_jti)].sort(),
    );
    // The session entry outlives the refresh token (30 days in the pool definition), so a client
    // that never revokes its refresh token at Cognito still gets nothing accepted from this session.
    const sessionTtl = await store.client.ttl(`${redisPrefix}${revocationKeys.originJti(sub, origin_jti)}`);
    expect(sessionTtl).toBeGreaterThan(30 * 86_400);

    // Without a refresh token in the body the IdP was not asked, but /refresh refuses the revoked
    // session anyway (ADR 0070) — and revokes that refresh token at the IdP on the way.
    const refreshed = await c.post('refresh', { refresh_token: a.refresh_token, email: alice.email });
    expect(refreshed.statusCode, refreshed.body).toBe(401);
    expect(refreshed.json()).toMatchObject({
      status: 401,
      detail: 'The refresh token is invalid, expired or revoked.',
    });

    // B's refreshes are untouched, and a new sign-in is a new session that works.
    const bRefreshed = await c.post('refresh', { refresh_token: b.refresh_token, email: alice.email });
    expect(bRefreshed.statusCode, bRefreshed.body).toBe(200);
    expect((await c.get('/users/me', (bRefreshed.json() as Tokens).access_token)).statusCode).toBe(200);
    const again = await login(c, alice);
    expect((await c.get('/users/me', again.access_token)).statusCode).toBe(200);
  });

  it('a second sign-out with the same token is 401 invalid_token; without a token it is a bare 401 challenge', async () => {
    const c = client(app);
    const t = await login(c, bob);
    expect((await c.post('sign-out', undefined, t.access_token)).statusCode).toBe(204);
    expectInvalidTokenProblem(await c.post('sign-out', undefined, t.access_token));

    const anonymous = await c.post('sign-out');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    // RFC 6750 §3.1: no credentials → a challenge without an error code.
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer\b/);
    expect(anonymous.headers['www-authenticate']).not.toMatch(/error=/);
    expectInvalidTokenProblem(await c.post('sign-out', undefined, 'not.a.jwt'));
  });

  it('is limited to 60 calls a minute per IP, counted before the token is checked', async () => {
    const c = client(app);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await c.post('sign-out')).statusCode);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const blocked = await c.post('sign-out');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another IP is not affected.
    expect((await client(app).post('sign-out')).statusCode).toBe(401);
  });

  it('is in the OpenAPI document under the auth tag with the bearer scheme and an optional body', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json() as {
      paths: Record<
        string,
        Record<string, { tags?: string[]; security?: unknown; requestBody?: Record<string, unknown> }>
      >;
    };
    const op = doc.paths['/api/v1/auth/sign-out']?.post;
    expect(op).toBeDefined();
    expect(op!.tags).toEqual(['auth']);
    expect(op!.security).toEqual([{ bearerAuth: [] }]);
    expect(op!.requestBody).toMatchObject({
      required: false,
      content: { 'application/json': { schema: { properties: { refresh_token: { type: 'string' } } } } },
    });
    expect(JSON.stringify(op)).not.toContain('x-optional-body');
  });

  it('logged no token of this file', () => {
    const out = logLines.join('');
    expect(out.length).toBeGreaterThan(0);
    expect(issued.length).toBeGreaterThan(0);
    for (const token of issued) expect(out).not.toContain(token);
    // Any JWT (three base64url parts starting with a JSON header) in a log line would be a leak.
    expect(out).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
  });
});
