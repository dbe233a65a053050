/**
 * Test support: the request shapes that must never stop a static server of the SPA, run against
 * each of them (packages/stack/test/static-server.test.ts and, for the bundled image entry,
 * infra/test/bundle.test.ts). Requests go over a raw socket so that targets a URL parser
 * would tidy up (backslashes, bad escapes, absolute-form) reach the server byte for byte.
 * Every case also checks the server still answers afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/** One HTTP/1.1 request written as-is; resolves with the parsed answer, rejects if the socket dies. */
export function rawRequest(base: string, method: string, target: string): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${method} in 5 s`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!match) return reject(new Error(`no HTTP answer (connection closed): ${JSON.stringify(text)}`));
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(match[1]), headers: text.slice(0, split), body: text.slice(split + 4) });
    });
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

/** A file the tests place beside (not inside) the served folder; no answer may contain it. */
export const SECRET = 'outside-the-site-3f9c';

/** A folder to serve (index.html, one asset) with `secret.txt` beside it; `remove` deletes both. */
export function siteWithSecretNextToIt(): { site: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'static-attacks-'));
  const site = join(dir, 'site');
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>spa</title><div id="root"></div>');
  writeFileSync(join(site, 'assets', 'app-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  return { site, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface AttackTarget {
  /** Base URL of a running server that serves a folder whose sibling `secret.txt` holds SECRET. */
  url: string;
  close(): Promise<void>;
}

async function stillServes(base: string) {
  const res = await rawRequest(base, 'GET', '/');
  expect(res.status, 'the server still answers GET / afterwards').toBe(200);
}

const refused = (res: RawResponse, status: number, target: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.toLowerCase()).toContain('content-type: text/plain');
  expect(res.body, 'the answer does not echo the request').not.toContain(target.slice(1, 12));
  expect(res.body).not.toContain(SECRET);
};

const neverOutside = (res: RawResponse) => {
  expect(res.status).toBeLessThan(500);
  expect(res.body).not.toContain(SECRET);
};

/** Registers one test per request shape against the server `start` returns. */
export function describeCrashProof(name: string, start: () => Promise<AttackTarget>): void {
  describe(`${name}: requests that must not stop it`, () => {
    let target: AttackTarget;
    beforeAll(async () => {
      target = await start();
    });
    afterAll(async () => {
      await target?.close();
    });

    const cases: [string, string, string, (res: RawResponse, t: string) => void][] = [
      [
        'malformed percent-encoding (truncated UTF-8) is 400',
        'GET',
        '/%E0%A4%A',
        (r, t) => refused(r, 400, t),
      ],
      ['a lone "%" is 400', 'GET', '/assets/%', (r, t) => refused(r, 400, t)],
      ['an invalid UTF-8 sequence is 400', 'GET', '/%C0%AFsecret.txt', (r, t) => refused(r, 400, t)],
      [
        '"..%2F" (a slash encoded to slip past the parser) is 400',
        'GET',
        '/..%2Fsecret.txt',
        (r, t) => refused(r, 400, t),
      ],
      [
        '"%2e%2e%2f" (dots and slash encoded) is 400',
        'GET',
        '/%2e%2e%2fsecret.txt',
        (r, t) => refused(r, 400, t),
      ],
      [
        '"%2e%2e/" segments resolve inside the folder, never outside',
        'GET',
        '/%2e%2e/%2e%2e/secret.txt',
        (r) => neverOutside(r),
      ],
      ['an encoded backslash is 400', 'GET', '/..%5Csecret.txt', (r, t) => refused(r, 400, t)],
      ['a raw backslash never leaves the folder', 'GET', '/..\\..\\secret.txt', (r) => neverOutside(r)],
      ['an encoded NUL byte is 400', 'GET', '/index.html%00.js', (r, t) => refused(r, 400, t)],
      [
        'a protocol-relative target stays on this server',
        'GET',
        '//evil.example/../secret.txt',
        (r) => neverOutside(r),
      ],
      [
        'an absolute-form target that is no valid URL is 400',
        'GET',
        'http://127.0.0.1:99999/',
        (r, t) => refused(r, 400, t),
      ],
      ['a 3 000-character path is 414', 'GET', `/${'a'.repeat(3000)}`, (r, t) => refused(r, 414, t)],
      [
        'a 20 000-character path is refused by the HTTP parser (431), not a crash',
        'GET',
        `/${'b'.repeat(20_000)}`,
        (r) => expect(r.status).toBe(431),
      ],
      ['HEAD of a malformed path is 400', 'HEAD', '/%E0%A4%A', (r) => expect(r.status).toBe(400)],
      [
        'HEAD / is 200 without a body',
        'HEAD',
        '/',
        (r) => {
          expect(r.status).toBe(200);
          expect(r.body).toBe('');
        },
      ],
      [
        'POST is 405 with Allow: GET, HEAD',
        'POST',
        '/',
        (r) => {
          expect(r.status).toBe(405);
          expect(r.headers.toLowerCase()).toContain('allow: get, head');
        },
      ],
      ['DELETE of a malformed path is 405', 'DELETE', '/%E0%A4%A', (r) => expect(r.status).toBe(405)],
      ['OPTIONS * is 405', 'OPTIONS', '*', (r) => expect(r.status).toBe(405)],
      [
        'an unknown method is refused by the HTTP parser (400)',
        'BREW',
        '/',
        (r) => expect(r.status).toBe(400),
      ],
    ];

    for (const [title, method, path, check] of cases) {
      it(title, async () => {
        check(await rawRequest(target.url, method, path), path);
        await stillServes(target.url);
      });
    }
  });
}
