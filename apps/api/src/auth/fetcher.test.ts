import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwksFetchError, LoopbackAwareFetcher } from './fetcher.ts';

describe('LoopbackAwareFetcher', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
      else if (req.url === '/redirect') res.writeHead(302, { location: '/ok' }).end();
      else if (req.url === '/big') res.writeHead(200).end('x'.repeat(300 * 1024));
      else res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const loopbackOk = new LoopbackAwareFetcher({ allowHttpLoopback: true });

  it('fetches over http from loopback when allowed', async () => {
    const body = await loopbackOk.fetch(`${base}/ok`);
    expect(new TextDecoder().decode(body)).toBe('{"keys":[]}');
  });

  it('refuses plain http when loopback http is not allowed (production)', async () => {
    await expect(new LoopbackAwareFetcher({ allowHttpLoopback: false }).fetch(`${base}/ok`)).rejects.toThrow(
      /refusing to fetch JWKS over http:/,
    );
  });

  it('refuses plain http to a non-loopback host even when loopback http is allowed', async () => {
    await expect(loopbackOk.fetch('http://example.com/jwks.json')).rejects.toThrow(/refusing/);
  });

  it('refuses redirects, error statuses and oversized documents', async () => {
    await expect(loopbackOk.fetch(`${base}/redirect`)).rejects.toBeInstanceOf(JwksFetchError);
    await expect(loopbackOk.fetch(`${base}/fail`)).rejects.toThrow(/answered 500/);
    await expect(loopbackOk.fetch(`${base}/big`)).rejects.toThrow(/too large/);
  });
});
