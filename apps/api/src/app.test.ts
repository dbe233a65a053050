import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyServerEnv, startJwksServer, type TestKeyServer, testConfig } from '../test/support/index.ts';
import { buildApp } from './app.ts';
import { requireUser } from './auth/deps.ts';

describe('buildApp', () => {
  let keys: TestKeyServer;
  let app: FastifyInstance;
  beforeAll(async () => {
    keys = await startJwksServer();
    app = await buildApp(testConfig(keyServerEnv(keys)), {
      extraRoutes: (scope) => {
        scope.get('/probe', { preHandler: requireUser() }, async (req) => ({ sub: req.user.sub }));
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await keys?.stop();
  });

  it('answers / with links to the docs and health checks, each of which answers', async () => {
    const res = await app.inject({ url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const links = res.json() as Record<string, string>;
    expect(links).toMatchObject({ docs: '/docs', openapi: '/docs/json', health: '/health' });
    for (const path of [links.docs!, links.openapi!, links.health!]) {
      const answer = await app.inject({ url: path });
      expect([200, 302]).toContain(answer.statusCode);
    }
  });

  it('answers /health without dependencies and echoes a sane x-request-id', async () => {
    const res = await app.inject({ url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBe('abc-123');
    const bad = await app.inject({ url: '/health', headers: { 'x-request-id': 'a b\u0000' } });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is ready when database, store and JWKS answer', async () => {
    const res = await app.inject({ url: '/ready' });
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', items: 'ok', store: 'ok', jwks: 'ok' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('lets a valid token through and sets request.user', async () => {
    const token = keys.accessToken({ sub: '11111111-2222-3333-4444-555555555555' });
    const res = await app.inject({ url: '/probe', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ sub: '11111111-2222-3333-4444-555555555555' });
  });

  it('answers unknown routes with a problem', async () => {
    const res = await app.inject({ url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not Found', request_id: expect.any(String) });
  });

  it('serves the OpenAPI document, the docs UI and metrics', async () => {
    const doc = await app.inject({ url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().openapi).toMatch(/^3\./);
    const ui = await app.inject({ url: '/docs' });
    expect(ui.statusCode).toBe(200);
    // The local stack serves the docs over plain http: no upgrade-insecure-requests anywhere.
    expect(
      String(ui.headers['content-security-policy']),
      String(ui.headers['content-security-policy']),
    ).not.toMatch(/upgrade-insecure-requests/);
    expect(String((await app.inject({ url: '/health' })).headers['content-security-policy'])).not.toMatch(
      /upgrade-insecure-requests/,
    );
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('api_token_verify_cache_total');
    expect(metrics.body).toContain('http_requests_total');
  });
});
