import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { HELMET_OPTIONS, securityHeaders } from './helmet.ts';

describe('precomputed security headers (ADR 0095)', () => {
  it('are exactly the headers helmet sets on a real response', async () => {
    const middleware = helmet(HELMET_OPTIONS);
    const server = createServer((req, res) => middleware(req, res, () => res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const fromHelmet: Record<string, string> = {};
      for (const [name, value] of res.headers) fromHelmet[name] = value;
      const precomputed = securityHeaders(HELMET_OPTIONS);
      expect(Object.keys(precomputed).length).toBeGreaterThan(5);
      for (const [name, value] of Object.entries(precomputed)) expect(fromHelmet[name]).toBe(value);
      expect(precomputed['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(precomputed['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
