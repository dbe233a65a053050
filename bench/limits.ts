/**
 * `npx tsx bench/limits.ts` (≈1 min): what a rate limit and load shedding cost per request, as ratios
 * of interleaved rounds (ADR 0111). Four bare Fastify servers in one child process (bench/limits/
 * servers.ts), each with one route: no guard; our `rateLimit` preHandler on Redis; @fastify/rate-limit
 * on Redis (`skipOnError`, as a preHandler); our load-shedding plugin.
 * Every request takes the allowed path (the limit is never reached), so each figure is the guard's
 * overhead. Needs Redis (REDIS_URL, default 127.0.0.1:6379). Writes bench/results/limits.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Case, ratio, runRounds } from './lib/rounds.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

const child = spawn(join(here, '..', 'node_modules', '.bin', 'tsx'), [join(here, 'limits', 'servers.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench servers exited (${code})`)));
  });
  const { pid, ports } = JSON.parse(line) as { pid: number; ports: Record<string, number> };
  const names: Record<string, string> = {
    none: 'no guard',
    ours: 'rateLimit (ours, Redis)',
    library: '@fastify/rate-limit (Redis)',
    pressure: 'load shedding (ours)',
  };
  const cases: Case[] = Object.entries(ports).map(([k, port]) => ({
    name: names[k]!,
    url: `http://127.0.0.1:${port}/limited`,
    pid,
  }));
  const results = await runRounds(cases, { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS });
  const by = (k: string) => results.find((r) => r.name === names[k])!;
  const rows = results.map((r) => ({
    case: r.name,
    'req/s': r.reqPerSec,
    'p50 ms': r.p50ms,
    'p99 ms': r.p99ms,
    failed: r.failed,
    'x no guard': Number(ratio(r, by('none')).toFixed(2)),
  }));
  console.table(rows);
  const oursOverLibrary = ratio(by('ours'), by('library'));
  console.log(`rateLimit (ours) / @fastify/rate-limit, both on Redis: ${oursOverLibrary.toFixed(2)}x`);
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'limits.json'),
    `${JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, rows, oursOverLibrary, results }, null, 2)}\n`,
  );
} finally {
  child.kill('SIGTERM');
}
