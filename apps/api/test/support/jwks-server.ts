import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real loopback JWKS server with our own RSA keys, to mint honest and malicious test tokens. */
export interface TestKeyServer {
  url: string;
  poolId: string;
  issuer: string;
  jwksUri: string;
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as PEM (for the "HS256 signed with the public key" attack). */
  publicKeyPem: string;
  /** JWKS requests served so far. */
  hits(): number;
  /** Answer 500 to JWKS requests (the IdP is unhealthy) without closing the port. */
  setFailing(failing: boolean): void;
  /** Signs claims with the server's key (RS256) unless the header says otherwise. */
  sign(claims: Record<string, unknown>, header?: Record<string, unknown>): string;
  /** Standard Cognito access-token claims for this issuer, valid for 1 h, with overrides. */
  accessClaims(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** Shorthand: a signed, valid access token for `clientId`. */
  accessToken(overrides?: Record<string, unknown>): string;
  /** Replaces the signing key: the JWKS then lists only the new one (the old kid is withdrawn). */
  rotate(): void;
  /** Stops listening (JWKS down), and starts again on the same port. */
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

export function signWithKey(
  key: KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown>,
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

export async function startJwksServer(
  opts: { clientId?: string; poolId?: string } = {},
): Promise<TestKeyServer> {
  const newKey = () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = pair.publicKey.export({ format: 'jwk' });
    const kid = createHash('sha256').update(String(jwk.n)).digest('base64url').slice(0, 16);
    return { ...pair, jwk, kid };
  };
  let current = newKey();
  const poolId = opts.poolId ?? 'us-east-1_TestPool1';
  const clientId = opts.clientId ?? 'testclient1';
  let count = 0;
  let failing = false;
  const server: Server = createServer((req, res) => {
    if (req.url === `/${poolId}/.well-known/jwks.json`) {
      count++;
      if (failing) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...current.jwk, kid: current.kid, alg: 'RS256', use: 'sig' }] }));
      return;
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const issuer = `${url}/${poolId}`;
  const accessClaims = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: randomUUID(),
      'cognito:groups': [],
      iss: issuer,
      client_id: clientId,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      exp: now + 3600,
      iat: now,
      jti: randomUUID(),
      username: 'user@example.com',
      ...overrides,
    };
  };
  const signClaims = (claims: Record<string, unknown>, header?: Record<string, unknown>) =>
    signWithKey(current.privateKey, claims, header ?? { kid: current.kid, alg: 'RS256' });
  const server_: TestKeyServer = {
    url,
    poolId,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    get kid() {
      return current.kid;
    },
    get privateKey() {
      return current.privateKey;
    },
    get publicKey() {
      return current.publicKey;
    },
    get publicKeyPem() {
      return current.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    },
    hits: () => count,
    setFailing: (f) => {
      failing = f;
    },
    sign: signClaims,
    accessClaims,
    accessToken: (overrides) => signClaims(accessClaims(overrides)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    rotate: () => {
      current = newKey();
    },
    restart: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve())),
  };
  return server_;
}
