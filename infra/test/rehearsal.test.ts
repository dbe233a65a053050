import { type ChildProcess, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { apiEnv, poolIdsFromBootstrap } from '@app/stack/wiring';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp } from '../../docker/bundle.ts';
import { originVerifyHeader } from '../src/edge/origin-verify.ts';
import { baseEnv, type Started, startNode, stopNode } from './bundle-processes.ts';
import { imageNode } from './image-node.ts';
import {
  type Ca,
  makeCa,
  startTlsPostgres,
  startTlsRedisCluster,
  type TlsPostgres,
  type TlsRedis,
} from './tls-services.ts';

/**
 * The production rehearsal: the API and IdP bundles the images ship, the API with NODE_ENV=production
 * against TLS-only Postgres (as the RDS master for the migration, as app_rw for the service) and a
 * TLS-only Redis Cluster signed into as an RBAC user (ElastiCache Serverless), both under a private
 * CA the process trusts only through NODE_EXTRA_CA_CERTS (as the image trusts RDS's bundle); the IdP as an https issuer; and requests
 * with the headers CloudFront and the ALB put on them. Nothing here is a mock: it is the AWS shape
 * on loopback, so TLS settings, trust-proxy, health checks and error logs run as they will there.
 * It runs on this machine's Node and, when that is another version, again on the images' exact Node
 * (fetched once from npm, infra/test/image-node.ts; ADR 0225).
 */
const out = mkdtempSync(join(tmpdir(), 'rehearsal-'));
const children: ChildProcess[] = [];
const password = `Rehearsal-${randomBytes(8).toString('hex')}`;
const appDbPassword = randomBytes(16).toString('hex');
const viewer = '203.0.113.7';
const edge = '198.51.100.20';
const originSecret = randomBytes(16).toString('hex');

/**
 * The Nodes the bundles run on: this machine's, and the images' own when it is another one (the
 * machines run Node 20, the images Node 26: ADR 0225). The Postgres, the Redis Cluster and the
 * bundles are shared; each Node gets its own migration run, IdP, API and user.
 */
interface Runtime {
  label: string;
  node: string;
  email: string;
  api: Started;
  apiUrl: string;
  issuer: string;
}
type RuntimeSpec = Pick<Runtime, 'label' | 'node' | 'email'> & { version: string };
const image = imageNode();
const runtimes: RuntimeSpec[] = [
  {
    label: `this machine's Node ${process.versions.node}${'sameAsHost' in image && image.sameAsHost ? ' (the images’ Node)' : ''}`,
    node: process.execPath,
    version: process.versions.node,
    email: 'rehearsal@example.com',
  },
];
if ('skipped' in image)
  console.warn(`[rehearsal] NOT run on the images' Node ${image.version}: ${image.skipped}`);
else if (!image.sameAsHost)
  runtimes.push({
    label: `the images' Node ${image.version}`,
    node: image.execPath,
    version: image.version,
    email: 'rehearsal-image-node@example.com',
  });
const started = new Map<string, Runtime>();
const running = (spec: RuntimeSpec): Runtime => {
  const rt = started.get(spec.label);
  if (!rt) throw new Error(`the bundles did not start on ${spec.label}`);
  return rt;
};

let ca: Ca;
let postgres: TlsPostgres;
let redis: TlsRedis;

/** A request as the ALB forwards it: the viewer's chain from CloudFront, plus the ALB's own hop. */
function viaCloudFront(rt: Runtime, path: string, init: RequestInit & { spoofedFor?: string } = {}) {
  const requestId = randomUUID();
  const chain = [init.spoofedFor, viewer, edge].filter(Boolean).join(', ');
  const headers = new Headers(init.headers);
  headers.set('x-forwarded-for', chain);
  headers.set('x-forwarded-proto', 'https');
  headers.set(originVerifyHeader, originSecret);
  headers.set('x-request-id', requestId);
  return fetch(`${rt.apiUrl}${path}`, { ...init, headers }).then((res) => ({ res, requestId }));
}

/** The API's JSON log line with this message for one request id (the access line follows the answer). */
async function logLine(
  rt: Runtime,
  requestId: string,
  msg: string,
): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = rt.api
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.reqId === requestId && l.msg === msg);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

const migrate = (node: string, env: Record<string, string>) =>
  spawnSync(node, [join(out, 'api', 'migrate.mjs')], {
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

const signIn = async (rt: Runtime) => {
  const login = await viaCloudFront(rt, '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: rt.email, password }),
  });
  expect(login.res.status).toBe(200);
  return ((await login.res.json()) as { access_token: string }).access_token;
};

/** The migration task, the IdP as an https issuer and the API, all on `spec.node`. */
async function startOn(spec: RuntimeSpec): Promise<Runtime> {
  const dir = join(out, `node-${started.size}`);
  // The migration task: the master user's URL, creating (or, on a second run, resetting) the API's login.
  const migration = migrate(spec.node, {
    NODE_EXTRA_CA_CERTS: ca.caFile,
    DATABASE_URL: postgres.url(postgres.user, postgres.password),
    APP_DB_USER: 'app_rw',
    APP_DB_PASSWORD: appDbPassword,
  });
  expect(migration.status, migration.stdout + migration.stderr).toBe(0);

  const usersFile = join(out, `users-${started.size}.json`);
  writeFileSync(usersFile, JSON.stringify([{ email: spec.email, password, name: 'Rehearsal User' }]));
  const idpData = join(dir, 'idp-data');
  const idpArgs = ['--port', '0', '--tls-port', '0', '--tls-issuer', '--tls-cert', ca.certFile];
  idpArgs.push('--tls-key', ca.keyFile, '--data-dir', idpData, '--users', usersFile);
  await startNode(
    [join(out, 'idp', 'main.mjs'), ...idpArgs],
    {},
    /listening on (https:\/\/127\.0\.0\.1:\d+)/,
    { cwd: out, children, node: spec.node },
  );
  const bootstrap = JSON.parse(readFileSync(join(idpData, 'bootstrap.json'), 'utf8'));
  const issuer: string = bootstrap.pool.issuer;

  // The task definition's variables through the same mapping the CDK stack uses.
  const env = apiEnv(
    poolIdsFromBootstrap(bootstrap.pool),
    { idpUrl: bootstrap.url, webOrigins: ['https://app.rehearsal.test'], host: '127.0.0.1', port: 0 },
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      AUTH_FLOW: 'srp',
      DATA_DIR: join(dir, 'api-data'),
      DB_POOL_MAX: '5',
      DATABASE_URL: postgres.url('app_rw', appDbPassword),
      // The serverless cache: always a cluster, reached over TLS as the RBAC user `api` (ADR 0221).
      REDIS_URL: redis.url,
      REDIS_CLUSTER: 'true',
      // The ALB connects from inside the VPC (here: loopback); CloudFront is the one hop before it.
      TRUST_PROXY: '127.0.0.1/32',
      TRUST_PROXY_HOPS: '1',
      UNSAFE_NON_COGNITO_ISSUER: issuer,
    },
  );
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  const api = await startNode(
    [join(out, 'api', 'main.mjs')],
    { ...defined, NODE_EXTRA_CA_CERTS: ca.caFile },
    /listening at (http:\/\/127\.0\.0\.1:\d+)/,
    { cwd: out, children, node: spec.node },
  );
  const rt: Runtime = { ...spec, api, apiUrl: api.match[1] ?? '', issuer };
  started.set(spec.label, rt);
  return rt;
}

beforeAll(async () => {
  await bundleApp('api', out);
  await bundleApp('idp', out);
  ca = makeCa(out);
  [postgres, redis] = await Promise.all([startTlsPostgres(out, ca), startTlsRedisCluster(out, ca)]);
}, 300_000);

afterAll(async () => {
  await Promise.all(children.map(stopNode));
  await Promise.all([postgres?.stop(), redis?.stop()]);
  rmSync(out, { recursive: true, force: true });
});

describe('production rehearsal: the TLS-only services as RDS and ElastiCache run them', () => {
  it('Postgres and Redis refuse plain connections', async () => {
    const plain = new pg.Client({
      connectionString: postgres.url(postgres.user, postgres.password, 'disable'),
    });
    await expect(plain.connect()).rejects.toThrow(/no pg_hba.conf entry|no encryption/);
    const plainRedis = new Redis(redis.url.replace('rediss:', 'redis:'), {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
    });
    plainRedis.on('error', () => {});
    await expect(plainRedis.connect().then(() => plainRedis.ping())).rejects.toThrow();
    plainRedis.disconnect();
  });

  it('the cache is a TLS Redis Cluster whose default user is off, its slots on every node', async () => {
    const tls = { ca: readFileSync(ca.caFile, 'utf8') };
    const quiet = { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, tls };
    // Without a user a connection is the `default` user, which is off (as on ElastiCache): a PING
    // over a verified TLS connection is answered NOAUTH.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', port: redis.ports[0], ca: tls.ca }, () =>
        socket.write('PING\r\n'),
      );
      socket.once('data', (d) => {
        resolve(String(d));
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(answer).toMatch(/^-NOAUTH/);
    // Every master holds some of the slots: the API's keys really are spread over nodes.
    const node = new Redis({
      host: '127.0.0.1',
      port: redis.ports[0],
      username: 'api',
      password: redis.password,
      ...quiet,
    });
    await node.connect();
    try {
      const slots = await node.cluster('SLOTS');
      expect(new Set(slots.map(([, , master]) => master?.[1]))).toEqual(new Set(redis.ports));
    } finally {
      node.disconnect();
    }
  });
});

describe.each(runtimes)(
  'production rehearsal on $label: the bundles with NODE_ENV=production, TLS everywhere, the CloudFront chain',
  (spec) => {
    let rt: Runtime;
    beforeAll(async () => {
      rt = await startOn(spec);
    }, 300_000);

    it('runs that exact Node', () => {
      expect(spawnSync(spec.node, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(
        `v${spec.version}`,
      );
    });

    it('the migration bundle verifies the database certificate: without the CA it cannot connect', () => {
      const untrusted = migrate(spec.node, { DATABASE_URL: postgres.url(postgres.user, postgres.password) });
      expect(untrusted.status).not.toBe(0);
      expect(untrusted.stdout + untrusted.stderr).toMatch(
        /self[- ]signed|unable to (get|verify)|certificate/i,
      );
    });

    it('the migration task created a login that is not a superuser, and the service runs as it', async () => {
      expect((await viaCloudFront(rt, '/ready')).res.status).toBe(200);
      const admin = new pg.Client({
        host: '127.0.0.1',
        port: postgres.port,
        user: postgres.user,
        password: postgres.password,
        database: 'app',
        ssl: { ca: readFileSync(ca.caFile, 'utf8') },
      });
      await admin.connect();
      try {
        const roles = await admin.query(
          'select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = $1',
          ['app_rw'],
        );
        expect(roles.rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
        const sessions = await admin.query(
          "select usename, ssl from pg_stat_activity join pg_stat_ssl using (pid) where datname = 'app' and usename = 'app_rw'",
        );
        expect(sessions.rows.length).toBeGreaterThan(0);
        for (const row of sessions.rows) expect(row.ssl).toBe(true);
      } finally {
        await admin.end();
      }
    });

    it('answers the ALB health check and reports every dependency ready over TLS (the cache as its RBAC user)', async () => {
      expect((await viaCloudFront(rt, '/health')).res.status).toBe(200);
      const ready = await viaCloudFront(rt, '/ready');
      expect(ready.res.status).toBe(200);
      expect(await ready.res.json()).toMatchObject({ checks: { jwks: 'ok', database: 'ok', store: 'ok' } });
    });

    it('signs in over TLS at the https issuer, serves the user as app_rw, and a signed-out token stays out', async () => {
      const accessToken = await signIn(rt);
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString());
      expect(claims.iss).toBe(rt.issuer);
      expect(rt.issuer).toMatch(/^https:\/\//);
      const auth = { authorization: `Bearer ${accessToken}` };
      const me = await viaCloudFront(rt, '/api/v1/users/me', { headers: auth });
      expect(me.res.status).toBe(200);
      expect(await me.res.json()).toMatchObject({ email: rt.email });
      // Sign-out revokes the token in the cluster; the check after it is the revocation MGET.
      const signOut = await viaCloudFront(rt, '/api/v1/auth/sign-out', { method: 'POST', headers: auth });
      expect(signOut.res.status).toBe(204);
      expect((await viaCloudFront(rt, '/api/v1/users/me', { headers: auth })).res.status).toBe(401);
      // Logs carry no password and no token, though both crossed this process.
      expect(rt.api.output()).not.toContain(password);
      expect(rt.api.output()).not.toContain(accessToken.split('.')[2]);
    });

    it('takes the viewer address from the CloudFront chain, never a client-supplied X-Forwarded-For', async () => {
      const { res, requestId } = await viaCloudFront(rt, '/health', { spoofedFor: '10.9.8.7' });
      expect(res.status).toBe(200);
      const line = await logLine(rt, requestId, 'request completed');
      expect((line?.req as { remoteAddress?: string })?.remoteAddress).toBe(viewer);
      expect(rt.api.output()).not.toContain(originSecret);
    });
  },
);

if ('skipped' in image) {
  describe.skip(`production rehearsal on the images' Node ${image.version}: NOT RUN, ${image.skipped}`, () => {
    it('runs every check above on the Node the images run', () => {});
  });
}

// Last: it stops Postgres under every API started above.
describe('production rehearsal: a database outage', () => {
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    for (const spec of runtimes) tokens.set(spec.label, await signIn(running(spec)));
    await postgres.stop();
  }, 120_000);

  it.each(runtimes)(
    'on $label: 503 with the real cause in the error log, while /health keeps the task in service',
    async (spec) => {
      const rt = running(spec);
      const { res, requestId } = await viaCloudFront(rt, '/api/v1/users/me', {
        headers: { authorization: `Bearer ${tokens.get(spec.label)}` },
      });
      expect(res.status).toBe(503);
      const body = await res.text();
      expect(body).not.toMatch(/ECONNREFUSED|postgres|127\.0\.0\.1/i);
      const failed = await logLine(rt, requestId, 'request failed');
      expect(JSON.stringify(failed)).toMatch(/caused by:.*(ECONNREFUSED|terminat|connect)/i);
      expect((await viaCloudFront(rt, '/health')).res.status).toBe(200);
      expect((await viaCloudFront(rt, '/ready')).res.status).toBe(503);
      expect(rt.api.output()).not.toContain(appDbPassword);
      expect(rt.api.output()).not.toContain(redis.password);
    },
  );
});
