/**
 * A mock OpenID Connect provider that plays "Google" for local work and tests, with no internet:
 * the maintained `oidc-provider` package on loopback, its own signing key per data folder, and a
 * sign-in page that lists a few demo users (pick one; there is no password). ADR 0160.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Configuration, KoaContextWithOIDC, default as Provider } from 'oidc-provider';
import { esc, sendPage } from '../login/page.ts';
import { readForm } from '../oauth/http.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';

export interface MockOidcUser {
  /** The provider's subject (Google's are 21-digit numbers). */
  sub: string;
  email: string;
  name: string;
  givenName?: string;
  familyName?: string;
  emailVerified?: boolean;
}

export interface MockOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface MockOidcOptions {
  /** Holds the provider's signing key and cookie secret (created on first start). */
  dataDir: string;
  port?: number;
  host?: string;
  /** A function is asked at the first request: a client's redirect URI may not be known yet at start. */
  clients: MockOidcClient[] | (() => MockOidcClient[]);
  users?: MockOidcUser[];
  /** Shown on the sign-in page. */
  displayName?: string;
}

export interface RunningMockOidc {
  issuer: string;
  users: MockOidcUser[];
  close(): Promise<void>;
}

export const demoFederatedUsers: MockOidcUser[] = [
  {
    sub: '104885322145500000001',
    email: 'alex@mock-google.test',
    name: 'Alex Garcia',
    givenName: 'Alex',
    familyName: 'Garcia',
  },
  {
    sub: '104885322145500000002',
    email: 'sam@mock-google.test',
    name: 'Sam Lee',
    givenName: 'Sam',
    familyName: 'Lee',
  },
];

interface StoredSecrets {
  jwk: Record<string, unknown>;
  cookieKey: string;
}

/** The signing key and cookie secret of this data folder, made once (never logged, never in the repo). */
async function secretsFor(dataDir: string): Promise<StoredSecrets> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  };
  const secrets = { jwk, cookieKey: randomBytes(32).toString('base64url') };
  await writeFileAtomic(file, JSON.stringify(secrets), 0o600);
  return secrets;
}

const claimsOf = (u: MockOidcUser) => ({
  sub: u.sub,
  email: u.email,
  email_verified: u.emailVerified ?? true,
  name: u.name,
  ...(u.givenName ? { given_name: u.givenName } : {}),
  ...(u.familyName ? { family_name: u.familyName } : {}),
});

function configuration(o: MockOidcOptions, users: MockOidcUser[], secrets: StoredSecrets): Configuration {
  const clients = typeof o.clients === 'function' ? o.clients() : o.clients;
  return {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [secrets.jwk as never] },
    cookies: { keys: [secrets.cookieKey] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    // Like Google's, the ID token carries the profile and e-mail claims itself.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    ttl: {
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 3600,
      IdToken: 3600,
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, i: { uid: string }) => `/interaction/${i.uid}` },
    async findAccount(_ctx: KoaContextWithOIDC, id: string) {
      const user = users.find((u) => u.sub === id);
      return user ? { accountId: id, claims: async () => claimsOf(user) } : undefined;
    },
    // A first-party test provider: every client is granted what it asks for, no consent page.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { oidc } = ctx;
      const existing = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(oidc.client!.clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({
        clientId: oidc.client!.clientId,
        accountId: oidc.session!.accountId!,
      });
      grant.addOIDCScope(String(oidc.params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
  } as Configuration;
}

function signInPage(res: ServerResponse, uid: string, users: MockOidcUser[], title: string) {
  const buttons = users
    .map(
      (u) =>
        `<button type="submit" name="sub" value="${esc(u.sub)}" class="secondary">${esc(u.name)} · ${esc(u.email)}</button>`,
    )
    .join('');
  sendPage(res, {
    title: `Sign in to ${title}`,
    lead: 'A mock provider for local work: choose a demo account.',
    body: `<form method="post" action="/interaction/${esc(uid)}/login">${buttons}</form>`,
  });
}

/**
 * oidc-provider prints notices meant for production deployments (Node 22 wanted, in-memory storage);
 * for a mock whose state may vanish at restart they are noise in `npm start`'s output.
 */
async function quietly<T>(make: () => Promise<T>): Promise<T> {
  const { warn, info } = console;
  const unless =
    (print: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (!String(args[0]).includes('oidc-provider ')) print(...args);
    };
  console.warn = unless(warn);
  console.info = unless(info);
  try {
    return await make();
  } finally {
    Object.assign(console, { warn, info });
  }
}

/** Starts the mock provider; its issuer is http://host:port (loopback only). */
export async function startMockOidc(o: MockOidcOptions): Promise<RunningMockOidc> {
  const host = o.host ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(host))
    throw new Error('the mock OIDC provider listens on loopback only');
  const users = o.users ?? demoFederatedUsers;
  const secrets = await secretsFor(o.dataDir);
  let provider: Promise<Provider> | undefined;
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('mock provider error');
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // Made at the first request, when every client's redirect URI is known; its module (~250 files)
    // is loaded only then, not while npm start starts (ADR 0207).
    provider ??= quietly(async () => {
      const { default: OidcProvider } = await import('oidc-provider');
      return new OidcProvider(issuer, configuration(o, users, secrets));
    });
    const oidc = await provider;
    const path = (req.url ?? '/').split('?')[0]!;
    const login = /^\/interaction\/([\w-]+)\/login$/.exec(path);
    if (login && req.method === 'POST') {
      const form = await readForm(req);
      const user = users.find((u) => u.sub === form.get('sub'));
      if (!user) return void res.writeHead(400).end('unknown demo user');
      return void (await oidc.interactionFinished(
        req,
        res,
        { login: { accountId: user.sub } },
        {
          mergeWithLastSubmission: false,
        },
      ));
    }
    const page = /^\/interaction\/([\w-]+)$/.exec(path);
    if (page && req.method === 'GET') {
      const details = await oidc.interactionDetails(req, res);
      return signInPage(res, details.uid, users, o.displayName ?? 'Mock Google');
    }
    oidc.callback()(req, res);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const issuer = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    users,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
