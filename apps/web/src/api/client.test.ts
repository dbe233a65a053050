import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from './client.ts';
import { ApiError } from './problem.ts';

/** A real HTTP server standing in for the API: it accepts only the token it was told is valid. */
let server: Server;
let base: string;
let validToken = 'token-1';
const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((r) => {
    let s = '';
    req.on('data', (c) => {
      s += c;
    });
    req.on('end', () => r(s));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
    if (req.headers.authorization !== `Bearer ${validToken}`) {
      res.writeHead(401, {
        'content-type': 'application/problem+json',
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      return res.end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 }));
    }
    if (req.url?.startsWith('/api/v1/items?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ items: [], total: 0, limit: 5, offset: 10 }));
    }
    if (req.method === 'POST' && req.url === '/api/v1/items') {
      const input = JSON.parse(body) as { title: string };
      if (!input.title) {
        res.writeHead(400, { 'content-type': 'application/problem+json' });
        return res.end(
          JSON.stringify({
            type: 'https://example.com/validation',
            title: 'Validation failed',
            status: 400,
            detail: 'title must not be empty',
            errors: [{ path: '/title', message: 'must NOT have fewer than 1 characters' }],
            request_id: 'req-1',
          }),
        );
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ id: 'x', title: input.title }));
    }
    if (req.method === 'DELETE') return res.writeHead(204).end();
    if (req.method === 'POST' && req.url === '/api/v1/auth/sign-out') return res.writeHead(204).end();
    res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  validToken = 'token-1';
});

function client(opts: { token: string | null; refreshed: string | null }) {
  const calls = { refresh: 0, unauthorized: 0 };
  const api = new ApiClient({
    baseUrl: base,
    accessToken: async () => opts.token,
    refresh: async () => {
      calls.refresh++;
      return opts.refreshed;
    },
    onUnauthorized: () => {
      calls.unauthorized++;
    },
  });
  return { api, calls };
}

describe('ApiClient', () => {
  it('sends the access token as a Bearer header and the query string', async () => {
    const { api, calls } = client({ token: 'token-1', refreshed: null });
    const page = await api.listItems(5, 10);
    expect(page.offset).toBe(10);
    expect(seen).toEqual([
      { method: 'GET', url: '/api/v1/items?limit=5&offset=10', auth: 'Bearer token-1', body: '' },
    ]);
    expect(calls).toEqual({ refresh: 0, unauthorized: 0 });
  });

  it('on 401 refreshes once and retries with the new token', async () => {
    validToken = 'token-2';
    const { api, calls } = client({ token: 'token-1', refreshed: 'token-2' });
    const created = await api.createItem({ title: 'milk' });
    expect(created.title).toBe('milk');
    expect(seen.map((s) => s.auth)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(seen[1]!.body).toBe('{"title":"milk"}');
    expect(calls).toEqual({ refresh: 1, unauthorized: 0 });
  });

  it('ends the session when the retry is refused too, without a third request', async () => {
    validToken = 'never';
    const { api, calls } = client({ token: 'token-1', refreshed: 'token-2' });
    await expect(api.me()).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(2);
    expect(calls).toEqual({ refresh: 1, unauthorized: 1 });
  });

  it('ends the session when the refresh itself is refused', async () => {
    validToken = 'never';
    const { api, calls } = client({ token: 'token-1', refreshed: null });
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(seen).toHaveLength(1);
    expect(calls).toEqual({ refresh: 1, unauthorized: 1 });
  });

  it('does not call the API at all when signed out', async () => {
    const { api, calls } = client({ token: null, refreshed: null });
    await expect(api.me()).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveLength(0);
    expect(calls.unauthorized).toBe(1);
  });

  it('parses problem+json into an ApiError with the detail and field errors', async () => {
    const { api } = client({ token: 'token-1', refreshed: null });
    const err = (await api.createItem({ title: '' }).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.message).toBe('title must not be empty');
    expect(err.problem?.errors?.[0]?.path).toBe('/title');
    expect(err.problem?.request_id).toBe('req-1');
  });

  it('answers 204 with undefined and a non-JSON 500 with a plain message', async () => {
    const { api } = client({ token: 'token-1', refreshed: null });
    await expect(api.deleteItem('00000000-0000-0000-0000-000000000000')).resolves.toBeUndefined();
    await expect(api.adminGroups()).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(/server had a problem/),
    });
  });

  it('signOutSession posts the given token once: no refresh, no retry, a 401 does not end the session', async () => {
    const { api, calls } = client({ token: 'token-1', refreshed: 'token-2' });
    await expect(api.signOutSession('token-1')).resolves.toBeUndefined();
    expect(seen).toEqual([
      { method: 'POST', url: '/api/v1/auth/sign-out', auth: 'Bearer token-1', body: '' },
    ]);

    seen.length = 0;
    await expect(api.signOutSession('token-old')).rejects.toMatchObject({ status: 401 });
    expect(seen.map((s) => s.auth)).toEqual(['Bearer token-old']);
    expect(calls).toEqual({ refresh: 0, unauthorized: 0 });
  });

  it('signOutSession gives up when its signal aborts', async () => {
    const { api } = client({ token: 'token-1', refreshed: null });
    await expect(api.signOutSession('token-1', AbortSignal.abort())).rejects.toMatchObject({ status: 0 });
  });

  it('reports an unreachable server as status 0 with plain words', async () => {
    const api = new ApiClient({
      baseUrl: 'http://127.0.0.1:1',
      accessToken: async () => 't',
      refresh: async () => null,
      onUnauthorized: () => {},
    });
    await expect(api.me()).rejects.toMatchObject({
      status: 0,
      message: expect.stringMatching(/Cannot reach/),
    });
  });
});
