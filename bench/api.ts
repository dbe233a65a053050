/**
 * API throughput side by side in ONE run, interleaved rounds, medians of per-round ratios (issue 17):
 * bare Fastify; our unauthenticated probe route; the same route authenticated with and without the
 * verified-token cache; `GET /users/me` and `GET /items/:id` on Postgres (+ Redis for revocation)
 * and on PGlite (in-process store, as `npm start` without REDIS_URL); and the seed's FastAPI design
 * (PyJWT + asyncpg on the same tables) as a peer. Every server is its own process; autocannon runs
 * here. Writes bench/results/api.json and bench/results/api.svg.
 * Run: npx tsx bench/api.ts  (~2.5 min; BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS tune it;
 * BENCH_CPU_PROF=<dir> writes V8 CPU profiles of the API processes there; BENCH_CASES=<regex> runs only
 * the cases whose names match, e.g. to profile one route)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startJwksServer } from '../apps/api/test/support/jwks-server.ts';
import { createTestDatabase } from '../apps/api/test/support/postgres.ts';
import { deleteRedisPrefix, SHARED_REDIS_URL } from '../apps/api/test/support/redis.ts';
import { renderChart } from './lib/chart.ts';
import { type Case, type CaseResult, cpuRatio, ratio, runRounds } from './lib/rounds.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Node 20 here: the AWS SDK's notice about its Node 22 floor is noise (run.ts sets it too).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const ONLY = process.env.BENCH_CASES ? new RegExp(process.env.BENCH_CASES) : undefined;

interface Server {
  port: number;
  pid: number;
  child: ChildProcess;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

function startNode(env: Record<string, string>): Promise<Server> {
  const prof = CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', join(here, 'api-server.ts')], {
    env: { ...process.env, ...env },
    // Logs (JSON lines at the production default level) go to /dev/null: their cost stays, no reader.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ port: m.port, pid: child.pid!, child }));
    child.once('exit', (code) => reject(new Error(`${env.BENCH_SERVER} server exited (${code})`)));
  });
}

/** The first python3 that has the peer's Debian packages, or why none does. */
function findPython(): { python: string } | { skip: string } {
  const candidates = [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import fastapi, asyncpg, jwt, uvicorn'], { encoding: 'utf8' });
    if (r.status === 0) return { python: py };
  }
  return {
    skip:
      'FastAPI peer skipped: no python3 here imports fastapi, asyncpg, jwt and uvicorn ' +
      '(Debian: apt-get install python3-fastapi python3-asyncpg python3-jwt python3-uvicorn python3-uvloop python3-httptools)',
  };
}

function startPython(python: string, env: Record<string, string>): Promise<Server> {
  const child = spawn(python, [join(here, 'peers', 'fastapi_peer.py')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /LISTENING (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), pid: child.pid!, child });
    });
    child.once('exit', (code) => reject(new Error(`FastAPI peer exited (${code})`)));
  });
}

interface Target {
  name: string;
  value: number;
  target: number;
  met: boolean;
}

async function main(): Promise<void> {
  const started = Date.now();
  const keys = await startJwksServer();
  const db = await createTestDatabase('api_bench');
  const redisPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const dataDir = mkdtempSync(join(tmpdir(), 'api-bench-'));
  const sub = randomUUID();
  const itemId = randomUUID();
  const token = keys.accessToken({ sub, exp: Math.floor(Date.now() / 1000) + 3600 });
  const auth = { authorization: `Bearer ${token}` };
  const apiEnv = {
    BENCH_SERVER: 'api',
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: keys.poolId,
    COGNITO_ISSUER: keys.issuer,
    COGNITO_JWKS_URI: keys.jwksUri,
    COGNITO_CLIENT_IDS: 'testclient1',
    WEB_ORIGIN: 'http://localhost:5173',
    BENCH_SUB: sub,
    BENCH_ITEM_ID: itemId,
    BENCH_REDIS_PREFIX: redisPrefix,
  };
  const servers: Server[] = [];
  const track = async (s: Promise<Server>) => {
    const server = await s;
    servers.push(server);
    return server;
  };
  try {
    // Sequential: the first one migrates the shared bench database.
    const pg = await track(startNode({ ...apiEnv, DATABASE_URL: db.url, REDIS_URL: SHARED_REDIS_URL }));
    const pgNoCache = await track(
      startNode({ ...apiEnv, DATABASE_URL: db.url, REDIS_URL: SHARED_REDIS_URL, BENCH_CACHE_MAX: '0' }),
    );
    const pglite = await track(startNode({ ...apiEnv, DATA_DIR: dataDir }));
    const bare = await track(startNode({ BENCH_SERVER: 'bare' }));
    const py = findPython();
    const peer =
      'python' in py
        ? await track(
            startPython(py.python, {
              DATABASE_URL: db.url,
              JWKS_URI: keys.jwksUri,
              ISSUER: keys.issuer,
              CLIENT_ID: 'testclient1',
              POOL_MAX: '10',
            }),
          )
        : undefined;
    if (!peer) console.log(`  ${(py as { skip: string }).skip}`);
    const url = (s: Server, path: string) => `http://127.0.0.1:${s.port}${path}`;
    for (const s of [pg, pgNoCache, pglite, bare]) await waitReady(url(s, '/bench/public'), s.child);
    if (peer) await waitReady(url(peer, '/public'), peer.child);

    const c = (name: string, s: Server, path: string, authed = true): Case => ({
      name,
      url: url(s, path),
      pid: s.pid,
      ...(authed ? { headers: auth } : {}),
    });
    const allCases: Case[] = [
      c('bare Fastify', bare, '/bench/public', false),
      c('API unauthenticated', pg, '/bench/public', false),
      c('API authenticated, token cache', pg, '/bench/private'),
      c('API authenticated, no token cache', pgNoCache, '/bench/private'),
      c('API GET /users/me (Postgres)', pg, '/api/v1/users/me'),
      c('API GET /items/:id (Postgres)', pg, `/api/v1/items/${itemId}`),
      c('API GET /users/me (PGlite)', pglite, '/api/v1/users/me'),
      c('API GET /items/:id (PGlite)', pglite, `/api/v1/items/${itemId}`),
      ...(peer
        ? [
            c('FastAPI public', peer, '/public', false),
            c('FastAPI GET /users/me (Postgres)', peer, '/users/me'),
            c('FastAPI GET /items/:id (Postgres)', peer, `/items/${itemId}`),
          ]
        : []),
    ];
    const cases = allCases.filter((k) => !ONLY || ONLY.test(k.name));
    // A wrong token or seed would make every case a fast 401/404: check the answers first.
    for (const k of cases) {
      const r = await fetch(k.url, k.headers ? { headers: k.headers } : {});
      if (r.status !== 200) throw new Error(`${k.name}: ${r.status} ${await r.text()}`);
    }
    console.log(
      `  ${cases.length} cases x ${ROUNDS} interleaved rounds of ${SECONDS} s, ${CONNECTIONS} connections`,
    );
    const results = await runRounds(cases, { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS });
    const by = (name: string) => results.find((r) => r.name === name);
    const pair = (a: string, b: string, f: typeof ratio) => {
      const x = by(a);
      const y = by(b);
      return x && y ? +f(x, y).toFixed(3) : undefined;
    };
    const r = (a: string, b: string) => pair(a, b, ratio);
    const perCpu = (a: string, b: string) => pair(a, b, cpuRatio);
    const ratios = {
      unauthenticatedVsBareFastify: r('API unauthenticated', 'bare Fastify'),
      authCachedVsUnauthenticated: r('API authenticated, token cache', 'API unauthenticated'),
      authUncachedVsUnauthenticated: r('API authenticated, no token cache', 'API unauthenticated'),
      usersMePostgresVsFastApi: r('API GET /users/me (Postgres)', 'FastAPI GET /users/me (Postgres)'),
      itemPostgresVsFastApi: r('API GET /items/:id (Postgres)', 'FastAPI GET /items/:id (Postgres)'),
      usersMePgliteVsPostgres: r('API GET /users/me (PGlite)', 'API GET /users/me (Postgres)'),
      itemPgliteVsPostgres: r('API GET /items/:id (PGlite)', 'API GET /items/:id (Postgres)'),
      fastApiPublicVsBareFastify: r('FastAPI public', 'bare Fastify'),
    };
    // The same pairs per CPU second of the server processes (CPU µs per request inverted): what the
    // code costs, less blurred by the load generator's and the other engineers' share of the cores.
    const perCpuRatios = {
      unauthenticatedVsBareFastify: perCpu('API unauthenticated', 'bare Fastify'),
      authCachedVsUnauthenticated: perCpu('API authenticated, token cache', 'API unauthenticated'),
      usersMePostgresVsFastApi: perCpu('API GET /users/me (Postgres)', 'FastAPI GET /users/me (Postgres)'),
      itemPostgresVsFastApi: perCpu('API GET /items/:id (Postgres)', 'FastAPI GET /items/:id (Postgres)'),
    };
    const target = (name: string, value: number | undefined, min: number): Target[] =>
      value === undefined ? [] : [{ name, value, target: min, met: value >= min }];
    const targets: Target[] = [
      ...target('unauthenticated / bare Fastify', ratios.unauthenticatedVsBareFastify, 0.7),
      ...target('authenticated with cache / unauthenticated', ratios.authCachedVsUnauthenticated, 0.95),
      ...target('users/me on Postgres / FastAPI peer', ratios.usersMePostgresVsFastApi, 3),
      ...target('item read on Postgres / FastAPI peer', ratios.itemPostgresVsFastApi, 3),
    ];

    console.log('');
    console.table(
      results.map((x: CaseResult) => ({
        case: x.name,
        'req/s': x.reqPerSec,
        'p50 ms': x.p50ms,
        'p99 ms': x.p99ms,
        failed: x.failed,
        'CPU µs/req': x.cpuUsPerReq,
        'peak RSS MiB': x.peakRssMiB,
      })),
    );
    console.log('ratios (median of per-round throughput ratios):');
    for (const [k, v] of Object.entries(ratios)) if (v !== undefined) console.log(`  ${k}: ${v}x`);
    console.log('per CPU second of the servers (median of per-round CPU-per-request ratios):');
    for (const [k, v] of Object.entries(perCpuRatios)) if (v !== undefined) console.log(`  ${k}: ${v}x`);
    console.log('targets:');
    for (const t of targets)
      console.log(`  ${t.met ? 'MET    ' : 'NOT MET'} ${t.name}: ${t.value}x (target >= ${t.target}x)`);
    if (!peer) console.log('  (FastAPI targets not measured: peer skipped)');

    const when = new Date().toISOString();
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(
      join(here, 'results', 'api.json'),
      `${JSON.stringify(
        {
          when,
          node: process.version,
          rounds: ROUNDS,
          secondsPerCase: SECONDS,
          connections: CONNECTIONS,
          peer: peer ? 'FastAPI (PyJWT + asyncpg, uvicorn)' : (py as { skip: string }).skip,
          results,
          ratios,
          perCpuRatios,
          targets,
          seconds: Math.round((Date.now() - started) / 1000),
        },
        null,
        2,
      )}\n`,
    );
    writeFileSync(
      join(here, 'results', 'api.svg'),
      renderChart(
        'API throughput and latency — one run, interleaved rounds',
        results,
        `${when} · node ${process.version} · ${ROUNDS} rounds x ${SECONDS} s · ${CONNECTIONS} connections · loopback · medians over rounds`,
      ),
    );
    console.log('wrote bench/results/api.json and bench/results/api.svg');
  } finally {
    // A graceful exit writes the CPU profiles; give it time, then make sure.
    const exited = servers.map(
      (s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r))),
    );
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, CPU_PROF ? 15_000 : 3000))]);
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await db.drop().catch(() => {});
    await deleteRedisPrefix(redisPrefix).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
    await keys.stop();
  }
}

await main();
