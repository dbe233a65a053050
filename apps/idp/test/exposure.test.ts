/**
 * The local IdP is a dev tool no web page or other machine can drive (issue 8, items 12 and 15, IdP
 * half; ADR 0076): CORS only for the operations Cognito serves to browsers and only to configured
 * origins, admin operations only for signed non-browser requests, loopback Host names only, loopback
 * binds unless told otherwise, and a 400 (not a crash) for a URL that does not percent-decode.
 * Raw node:http requests, because fetch may not set Host and always normalises the path.
 */
import { request } from 'node:http';
import {
  AdminGetUserCommand,
  DescribeUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdp } from '../src/index.ts';
import { startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

const spa = 'http://localhost:5173';
const evil = 'http://attacker.example';

let t: TestIdp;
let port: number;
beforeAll(async () => {
  t = await startTestIdp({ corsOrigins: [spa, 'http://127.0.0.1:5173'] });
  port = Number(new URL(t.idp.url).port);
});
afterAll(() => t.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function raw(o: {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: o.method ?? 'GET',
        path: o.path ?? '/',
        headers: { host: `127.0.0.1:${port}`, ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : '';
          } catch {}
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}

const operation = (op: string, body: unknown, headers: Record<string, string> = {}) =>
  raw({
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });

const preflight = (origin: string, path = '/', method = 'POST') =>
  raw({
    method: 'OPTIONS',
    path,
    headers: {
      origin,
      'access-control-request-method': method,
      'access-control-request-headers': 'content-type,x-amz-target',
    },
  });

const corsRefusal = {
  message:
    'CORS: this origin may not call this endpoint of the local IdP (allowed origins are set with --cors-origin; admin operations and dev pages are never open to web pages).',
};
const signed = {
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20261130/us-east-1/cognito-idp/aws4_request',
};

describe('CORS: only configured origins, only the operations Cognito serves to browsers', () => {
  it('refuses the preflight of a page at any other origin', async () => {
    const res = await preflight(evil);
    expect(res.status).toBe(403);
    expect(res.body).toEqual(corsRefusal);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("lets the SPA's origin call the public operations (preflight, then the answer)", async () => {
    const pre = await preflight(spa);
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(spa);
    expect(pre.headers.vary).toBe('Origin');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('x-amz-target');
    const res = await operation(
      'ForgotPassword',
      { ClientId: 'nothere', Username: 'a@example.com' },
      { origin: spa },
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'User pool client nothere does not exist.',
    });
    expect(res.headers['access-control-allow-origin']).toBe(spa);
  });

  it('gives a page at another origin no readable answer even for a public operation', async () => {
    const res = await operation(
      'ForgotPassword',
      { ClientId: 'nothere', Username: 'a@example.com' },
      { origin: evil },
    );
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never runs an admin operation for a web page, even a signed one from the allowed origin', async () => {
    const email = uniqueEmail('from-a-page');
    const res = await operation(
      'AdminCreateUser',
      { UserPoolId: t.idp.pool.poolId, Username: email, TemporaryPassword: 'Temporary-Pass-1' },
      { origin: spa, ...signed },
    );
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      __type: 'AccessDeniedException',
      message:
        'AdminCreateUser needs AWS credentials: the local IdP does not run it for a web page (the request has an Origin header).',
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    await expect(
      t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it("does not show a page the backend client's secret", async () => {
    const res = await operation(
      'DescribeUserPoolClient',
      { UserPoolId: t.idp.pool.poolId, ClientId: t.backend.clientId },
      { origin: spa, ...signed },
    );
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain(t.backend.clientSecret);
  });

  it('refuses unsigned admin operations like Cognito; the signed SDK still works', async () => {
    const res = await operation('DescribeUserPoolClient', {
      UserPoolId: t.idp.pool.poolId,
      ClientId: t.backend.clientId,
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException:');
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: t.idp.pool.poolId, ClientId: t.backend.clientId }),
    );
    expect(described.UserPoolClient!.ClientSecret).toBe(t.backend.clientSecret);
  });

  it('keeps the dev mailbox away from every page: no CORS, no framing', async () => {
    const pre = await preflight(spa, '/_dev/mailbox', 'GET');
    expect(pre.status).toBe(403);
    expect(pre.body).toEqual(corsRefusal);
    const res = await raw({ path: '/_dev/mailbox', headers: { origin: spa } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
  });
});

describe('CORS on the OAuth 2.0 endpoints and pages', () => {
  it.each(['/oauth2/token', '/oauth2/revoke', '/oauth2/userInfo'])(
    'lets the SPA fetch %s cross-origin, and no other origin',
    async (path) => {
      expect((await preflight(spa, path)).status).toBe(204);
      expect((await preflight(spa, path)).headers['access-control-allow-origin']).toBe(spa);
      expect((await preflight(evil, path)).status).toBe(403);
    },
  );

  it.each([
    ['/login', 'POST'],
    ['/oauth2/authorize', 'GET'],
    ['/logout', 'GET'],
  ])('never opens the page %s to another origin', async (path, method) => {
    const res = await preflight(spa, path, method);
    expect({ status: res.status, body: res.body }).toEqual({ status: 403, body: corsRefusal });
  });
});

describe('Host: loopback names only (DNS rebinding)', () => {
  const hostRefusal = {
    message:
      'This Host is not allowed: the local IdP answers loopback names only (localhost, *.localhost, 127.0.0.0/8, [::1]); add others with --allowed-host.',
  };

  it.each([
    'attacker.example',
    'attacker.example:9339',
    '192.168.1.20',
    'localhost.attacker.example',
    '[::2]',
  ])('refuses Host %s for the mailbox and for operations', async (host) => {
    const mailbox = await raw({ path: '/_dev/mailbox', headers: { host } });
    expect({ status: mailbox.status, body: mailbox.body }).toEqual({ status: 403, body: hostRefusal });
    const op = await operation('SignUp', {}, { host });
    expect({ status: op.status, body: op.body }).toEqual({ status: 403, body: hostRefusal });
  });

  it.each([
    'localhost',
    `localhost:${9339}`,
    'app.localhost',
    '127.0.0.1',
    '127.1.2.3:80',
    '[::1]:9339',
    'LOCALHOST',
  ])('answers Host %s', async (host) => {
    const res = await raw({ path: '/health', headers: { host } });
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers a host name given with allowedHosts (--allowed-host)', async () => {
    const other = await startTestIdp({ allowedHosts: ['devbox.lan'] });
    try {
      const res = await fetchWithHost(other.idp.url, 'devbox.lan:9339');
      expect(res).toBe(200);
      expect(await fetchWithHost(other.idp.url, 'devbox2.lan')).toBe(403);
    } finally {
      await other.close();
    }
  });
});

function fetchWithHost(url: string, host: string): Promise<number> {
  const { port: p } = new URL(url);
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: p, path: '/health', headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('bind: loopback unless allowed', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20'])('refuses to listen on %s without allowRemote', async (host) => {
    await expect(startIdp({ dataDir: t.dataDir, host })).rejects.toThrow(
      `refusing to listen on ${host}: the local IdP has unauthenticated admin operations and a dev mailbox`,
    );
  });

  it('refuses a wildcard or malformed CORS origin', async () => {
    await expect(startIdp({ dataDir: t.dataDir, corsOrigins: ['*'] })).rejects.toThrow(
      'CORS origin "*" is not a URL like http://localhost:5173',
    );
    await expect(
      startIdp({ dataDir: t.dataDir, corsOrigins: ['http://localhost:5173/app'] }),
    ).rejects.toThrow('must be scheme://host[:port] only');
  });
});

describe('malformed URLs answer 400 and never take the IdP down', () => {
  const malformed = { message: 'The request URL is malformed (bad percent-encoding).' };

  it.each([
    ['GET', '/%E0%A4%A'],
    ['GET', '/%'],
    ['GET', '/_dev/mailbox?to=%E0%A4%A'],
    ['GET', '/us-east-1_x/.well-known/jwks.json?%ZZ'],
    ['POST', '/%E0%A4%A'],
    ['GET', 'http://127.0.0.1/health'],
  ])('%s %s', async (method, path) => {
    const res = await raw({ method, path });
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: malformed });
    const health = await raw({ path: '/health' });
    expect(health.status).toBe(200);
  });
});
