/**
 * API cost, side by side in one run on loopback with autocannon (bounded: ~5 s a case):
 * - the same GET route unauthenticated vs authenticated, with and without the verified-token cache
 *   (the ratio to the unauthenticated run is the auth overhead; target >= 0.9x with the cache);
 * - the item create and read paths on real Postgres (a throw-away database).
 * The API runs in a child process (one core), autocannon here (the other core).
 * Run: npx tsx bench/api.ts   (about 50 s; writes bench/results/api.json)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

// ---------- child: the API with two probe routes that differ only by the guard ----------
async function serveChild(): Promise<void> {
  const { buildApp, loadConfig, requireUser } = await import('@app/api');
  const cacheMax = Number(process.env.BENCH_CACHE_MAX ?? 10_000);
  const app = await buildApp(loadConfig(), {
    verifier: { cacheMax },
    extraRoutes: (scope) => {
      const handler = async () => ({ ok: true, at: 'bench' });
      scope.get('/bench/public', handler);
      scope.get('/bench/private', { preHandler: requireUser() }, handler);
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`LISTENING ${(app.server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function startChild(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...env, BENCH_API_ROLE: 'server' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.once('exit', (code) => reject(new Error(`API child exited (${code})`)));
  });
}

// ---------- parent: key server, database, children, load ----------
async function main(): Promise<void> {
  const autocannon = require('autocannon') as Autocannon;
  const { startJwksServer } = await import('../apps/api/test/support/jwks-server.ts');
  const { createTestDatabase } = await import('../apps/api/test/support/postgres.ts');
  const keys = await startJwksServer();
  const db = await createTestDatabase('api_bench');
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: keys.poolId,
    COGNITO_ISSUER: keys.issuer,
    COGNITO_JWKS_URI: keys.jwksUri,
    COGNITO_CLIENT_IDS: 'testclient1',
    WEB_ORIGIN: 'http://localhost:5173',
    DATABASE_URL: db.url,
  };
  const children: ChildProcess[] = [];
  try {
    const cached = await startChild({ ...env, BENCH_CACHE_MAX: '10000' });
    children.push(cached.child);
    const uncached = await startChild({ ...env, BENCH_CACHE_MAX: '0' });
    children.push(uncached.child);
    const token = keys.accessToken({ exp: Math.floor(Date.now() / 1000) + 3600 });
    const auth = { authorization: `Bearer ${token}` };

    type Case = { name: string; port: number; opts: Record<string, unknown> };
    type Row = {
      name: string;
      reqPerSec: number;
      p50ms: number;
      p99ms: number;
      total: number;
      non2xx: number;
      errors: number;
    };
    const once = async (c: Case, seconds: number) => {
      const { path, ...rest } = c.opts as { path: string };
      // autocannon ignores a separate `path` option: the path goes in the URL.
      return autocannon({
        url: `http://127.0.0.1:${c.port}${path}`,
        connections: CONNECTIONS,
        duration: seconds,
        ...rest,
      });
    };
    /**
     * Cases run in interleaved rounds (A B C D A B C D ...) so the noise of a shared 2-core machine
     * hits them alike; a row sums its rounds, latency percentiles are the worst round's.
     */
    const measure = async (cases: Case[], rounds: number): Promise<Row[]> => {
      for (const c of cases) await once(c, 1); // warm-up (JIT, JWKS, pools)
      const rows = cases.map((c) => ({
        name: c.name,
        reqPerSec: 0,
        p50ms: 0,
        p99ms: 0,
        total: 0,
        non2xx: 0,
        errors: 0,
      }));
      const slice = Math.max(1, SECONDS / rounds);
      for (let round = 0; round < rounds; round++) {
        for (const [i, c] of cases.entries()) {
          const r = await once(c, slice);
          const row = rows[i]!;
          row.total += r.requests.total;
          row.non2xx += r.non2xx;
          row.errors += r.errors;
          row.p50ms = Math.max(row.p50ms, r.latency.p50);
          row.p99ms = Math.max(row.p99ms, r.latency.p99);
        }
      }
      for (const row of rows) {
        row.reqPerSec = Math.round(row.total / (slice * rounds));
        console.log(`  ${row.name}: ${row.reqPerSec} req/s (p99 ${row.p99ms} ms, non-2xx ${row.non2xx})`);
      }
      return rows;
    };

    const rows: Row[] = await measure(
      [
        { name: 'GET unauthenticated (cache server)', port: cached.port, opts: { path: '/bench/public' } },
        {
          name: 'GET authenticated, token cache',
          port: cached.port,
          opts: { path: '/bench/private', headers: auth },
        },
        {
          name: 'GET unauthenticated (no-cache server)',
          port: uncached.port,
          opts: { path: '/bench/public' },
        },
        {
          name: 'GET authenticated, no token cache',
          port: uncached.port,
          opts: { path: '/bench/private', headers: auth },
        },
      ],
      5,
    );

    // Item paths on Postgres: create, then read one item back by id.
    const created = await fetch(`http://127.0.0.1:${cached.port}/api/v1/items`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'bench item' }),
    });
    if (created.status !== 201)
      throw new Error(`item create failed: ${created.status} ${await created.text()}`);
    const item = (await created.json()) as { id: string };
    rows.push(
      ...(await measure(
        [
          {
            name: 'POST /api/v1/items (Postgres)',
            port: cached.port,
            opts: {
              path: '/api/v1/items',
              method: 'POST',
              headers: { ...auth, 'content-type': 'application/json' },
              body: JSON.stringify({ title: 'bench item' }),
            },
          },
          {
            name: 'GET /api/v1/items/:id (Postgres)',
            port: cached.port,
            opts: { path: `/api/v1/items/${item.id}`, headers: auth },
          },
        ],
        2,
      )),
    );

    const [unauthA, authCached, unauthB, authUncached] = rows as [Row, Row, Row, Row];
    const ratios = {
      authenticatedCachedVsUnauthenticated: +(authCached.reqPerSec / unauthA.reqPerSec).toFixed(3),
      authenticatedUncachedVsUnauthenticated: +(authUncached.reqPerSec / unauthB.reqPerSec).toFixed(3),
      cacheSpeedup: +(authCached.reqPerSec / authUncached.reqPerSec).toFixed(2),
    };
    console.log('');
    console.table(rows);
    console.log(
      `auth overhead: with cache ${ratios.authenticatedCachedVsUnauthenticated}x unauthenticated (target >= 0.9x), ` +
        `without cache ${ratios.authenticatedUncachedVsUnauthenticated}x; the cache is ${ratios.cacheSpeedup}x faster`,
    );
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(
      join(here, 'results', 'api.json'),
      `${JSON.stringify(
        {
          when: new Date().toISOString(),
          node: process.version,
          secondsPerCase: SECONDS,
          connections: CONNECTIONS,
          rows,
          ratios,
          targetMet: ratios.authenticatedCachedVsUnauthenticated >= 0.9,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await db.drop();
    await keys.stop();
  }
}

if (process.env.BENCH_API_ROLE === 'server') await serveChild();
else await main();
