import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildProbeApp,
  expectInvalidToken,
  expectProblem,
  keyServerEnv,
  rawRequest,
  startJwksServer,
  type TestKeyServer,
  testConfig,
} from '../support/index.ts';

describe('security: HTTP surface', () => {
  let keys: TestKeyServer;
  let app: FastifyInstance;
  let port: number;
  const allowed = 'http://localhost:5173';
  const evil = 'https://evil.example';

  beforeAll(async () => {
    keys = await startJwksServer();
    app = await buildProbeApp(
      testConfig({ ...keyServerEnv(keys), WEB_ORIGIN: allowed, BODY_LIMIT_BYTES: '2048' }),
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await keys?.stop();
  });

  it('answers oversized headers with 431 problem+json', async () => {
    const res = await rawRequest(port, '/probe/public', { headers: { 'x-filler': 'a'.repeat(20_000) } });
    const body = expectProblem(res, 431);
    expect(body.title).toBe('Request Header Fields Too Large');
  });

  it('answers an oversized bearer token (within header limits) with 401', async () => {
    const res = await rawRequest(port, '/probe/user', {
      headers: { authorization: `Bearer ${'a'.repeat(9000)}` },
    });
    expectInvalidToken(res);
  });

  it('answers an oversized body with 413 problem+json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ title: 'x'.repeat(5000) }),
    });
    expect(expectProblem(res, 413).detail).toBe('The request body is too large.');
  });

  it('answers malformed JSON with 400 problem+json that does not echo the parser message', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"title": "a",,}',
    });
    const body = expectProblem(res, 400);
    expect(body.detail).toBe('The body is not valid JSON.');
    expect(res.body).not.toMatch(/position|Unexpected token/);
  });

  it('answers schema violations with 400 and field errors', async () => {
    const res = await app.inject({ method: 'POST', url: '/probe/echo', payload: { title: '', extra: 1 } });
    const body = expectProblem(res, 400);
    expect(body.detail).toBe('The request is invalid.');
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(/^body/) })]),
    );
  });

  it('answers an unsupported content type with 415 problem+json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/probe/echo',
      headers: { 'content-type': 'application/x-evil' },
      payload: 'a=1',
    });
    expectProblem(res, 415);
  });

  it('allows CORS for the web origin only', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/probe/user',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight(allowed);
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(allowed);
    expect(String(ok.headers['access-control-allow-headers'])).toMatch(/authorization/);

    const refused = await preflight(evil);
    expect(expectProblem(refused, 403).detail).toBe('This origin is not allowed.');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();

    const simple = await app.inject({ url: '/probe/public', headers: { origin: evil } });
    expect(simple.statusCode).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const mine = await app.inject({ url: '/probe/public', headers: { origin: allowed } });
    expect(mine.headers['access-control-allow-origin']).toBe(allowed);
    expect(mine.headers.vary).toMatch(/Origin/);
    expect(String(mine.headers['access-control-expose-headers'])).toMatch(/x-request-id/);
    expect(ok.headers['access-control-max-age']).toBe('600');
    expect(String(ok.headers['access-control-allow-methods'])).toMatch(/DELETE/);
    expect(ok.body).toBe('');

    const notPreflight = await app.inject({
      method: 'OPTIONS',
      url: '/probe/user',
      headers: { origin: allowed },
    });
    expect(expectProblem(notPreflight, 400).detail).toBe('Not a CORS preflight request.');
  });

  it('does no CORS work for a request without Origin, which still varies on it (ADR 0182)', async () => {
    const plain = await app.inject({ url: '/probe/public' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers.vary).toMatch(/Origin/);
    const cors = Object.keys(plain.headers).filter((h) => h.startsWith('access-control-'));
    expect(cors).toEqual([]);
  });

  it('sends security headers', async () => {
    const res = await app.inject({ url: '/probe/public' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(String(res.headers['content-security-policy'])).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('never leaks internal error messages', async () => {
    const boom = await app.inject({ url: '/probe/boom' });
    const body = expectProblem(boom, 500);
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      request_id: boom.headers['x-request-id'],
    });
    expect(boom.body).not.toMatch(/hunter2|postgres/);
    const res = await app.inject({ url: '/probe/user', headers: { authorization: 'Bearer a.b.c' } });
    expectInvalidToken(res);
    expect(res.body).not.toMatch(/TokenFormatError|segment|JSON/);
  });
});
