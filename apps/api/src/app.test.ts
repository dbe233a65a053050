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
    const made = bad.headers['x-request-id'];
    expect(made).toMatch(/^[A-Za-z0-9_-]{16}\.[0-9a-z]+$/);
    const next = await app.inject({ url: '/health' });
    expect(next.headers['x-request-id']).not.toBe(made);
    expect(String(next.headers['x-request-id']).split('.')[0]).toBe(String(made).split('.')[0]);
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

  it('counts requests per route, method and status, in the counter and the histogram alike', async () => {
    const line = (body: string, name: string, labels: string) =>
      Number(
        body
          .split('\n')
          .find((l) => l.startsWith(`${name}{${labels}}`))
          ?.split(' ')[1] ?? 0,
      );
    const labels = 'method="GET",route="/health",status_code="200"';
    const before = (await app.inject({ url: '/metrics' })).body;
    for (let i = 0; i < 3; i++) await app.inject({ url: '/health' });
    await app.inject({ url: '/nowhere' });
    const after = (await app.inject({ url: '/metrics' })).body;
    expect(line(after, 'http_requests_total', labels) - line(before, 'http_requests_total', labels)).toBe(3);
    expect(
      line(after, 'http_request_duration_seconds_count', labels) -
        line(before, 'http_request_duration_seconds_count', labels),
    ).toBe(3);
    expect(after).toMatch(/^http_requests_total\{method="GET",route="unmatched",status_code="404"\} [1-9]/m);
    expect(after.indexOf('# TYPE http_requests_total counter')).toBeLessThan(
      after.indexOf('# TYPE http_request_duration_seconds histogram'),
    );
  });
});
