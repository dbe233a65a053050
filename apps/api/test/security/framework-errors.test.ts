import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/logging.ts';
import { buildProbeApp, expectProblem, rawRequest, testConfig } from '../support/index.ts';

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

/** Log records written since `from` (one JSON object per line). */
const logsSince = (from: number) => logLines.slice(from).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('security: framework errors are problem+json and never echo the request', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    const config = testConfig({ BODY_LIMIT_BYTES: '2048', LOG_LEVEL: 'info' });
    app = await buildProbeApp(config, {
      logger: { ...(loggerOptions(config) as object), stream: sink },
      extraRoutes: (scope) => {
        scope.get('/probe/param/:id', async (req) => req.params);
        scope.get('/probe/coded', async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:5432'), { code: 'ECONNRESET_PROBE' });
        });
      },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(() => app?.close());

  it('answers a malformed percent-encoding with 400 problem+json, not Fastify JSON quoting the URL', async () => {
    for (const path of ['/%E0%A4%A', '/probe/param/%E0%A4%A?code=123456']) {
      const res = await rawRequest(port, path);
      const body = expectProblem(res, 400);
      expect(body).toEqual({
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The URL is malformed.',
        request_id: res.headers['x-request-id'],
      });
      expect(res.body).not.toMatch(/%E0|%A4|FST_ERR|123456/);
    }
    const injected = await app.inject({ url: '/%E0%A4%A' });
    expect(expectProblem(injected, 400).detail).toBe('The URL is malformed.');
  });

  it('answers an over-long path parameter with 414 problem+json without the parameter', async () => {
    const res = await app.inject({ url: `/probe/param/${'x'.repeat(300)}` });
    const body = expectProblem(res, 414);
    expect(body).toMatchObject({ title: 'URI Too Long', detail: 'A path segment is too long.' });
    expect(res.body).not.toMatch(/xxxx|FST_ERR/);
  });

  it('answers unknown routes and unrouted methods with 404 problem+json without the path', async () => {
    for (const [method, url] of [
      ['GET', '/nope/<script>?q=secret-query'],
      ['DELETE', '/probe/public'],
      ['PUT', '/probe/echo'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(expectProblem(res, 404).detail).toBe('No such route.');
      expect(res.body).not.toMatch(/nope|script|secret-query|probe/);
    }
  });

  it('answers an OPTIONS request that is not a preflight with 400 problem+json (not text/plain)', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/probe/public' });
    expect(expectProblem(res, 400).detail).toBe('Not a CORS preflight request.');
  });

  it('answers body errors with fixed details that quote nothing from the body', async () => {
    const post = (payload: string, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/probe/echo', payload, headers });
    const cases: Array<[string, Record<string, string>, number, string]> = [
      [
        '{"title": "secret-body",,}',
        { 'content-type': 'application/json' },
        400,
        'The body is not valid JSON.',
      ],
      ['', { 'content-type': 'application/json' }, 400, 'The JSON body is empty.'],
      ['secret-body', { 'content-type': 'text/secret-type' }, 415, 'The content type is not supported.'],
      [
        JSON.stringify({ title: 'secret-body'.repeat(300) }),
        { 'content-type': 'application/json' },
        413,
        'The request body is too large.',
      ],
      [
        '{"__proto__": {"secret-body": 1}}',
        { 'content-type': 'application/json' },
        400,
        'The body is not valid JSON.',
      ],
    ];
    for (const [payload, headers, status, detail] of cases) {
      const res = await post(payload, headers);
      expect(expectProblem(res, status).detail).toBe(detail);
      expect(res.body).not.toMatch(/secret|FST_ERR|Unexpected/);
    }
  });

  it('logs request paths without their query strings', async () => {
    const from = logLines.length;
    await app.inject({ url: '/probe/public?code=123456&email=victim%40example.com' });
    await rawRequest(port, '/%E0%A4%A?code=654321');
    const records = logsSince(from);
    const urls = records.map((r) => (r.req as { url?: string } | undefined)?.url).filter(Boolean);
    expect(urls).toEqual(['/probe/public', '/%E0%A4%A']);
    expect(JSON.stringify(records)).not.toMatch(/123456|654321|victim|email=/);
  });

  it("keeps an error's code in the log (it is not a secret) and still hides the message's secrets from the client", async () => {
    const from = logLines.length;
    const res = await app.inject({ url: '/probe/coded' });
    expect(expectProblem(res, 500)).not.toHaveProperty('detail');
    expect(res.body).not.toMatch(/ECONN|10\.0\.0\.9/);
    const failed = logsSince(from).find((r) => r.msg === 'request failed');
    expect((failed?.err as { code?: string } | undefined)?.code).toBe('ECONNRESET_PROBE');
  });
});
