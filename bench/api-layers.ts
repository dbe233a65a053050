/**
 * Where the API's unauthenticated cost goes (issue 17's "≥ 0.7x bare Fastify"): bare Fastify, then the
 * API's server options (JSON logging, request ids), then each plugin every request goes through, added
 * one at a time in buildApp's order (apps/api/src/app.ts requestLayers, then metrics). One server
 * process per step, all measured in ONE run of interleaved rounds; each step's ratio to bare Fastify
 * and to the step before is the median of per-round ratios. The whole API (routes, stores, guards)
 * is bench/api.ts's "API unauthenticated" case.
 * Run: npx tsx bench/api-layers.ts  (~1.5 min; BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS tune it)
 * Writes bench/results/api-layers.json and bench/results/api-layers.svg.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { layerNames } from './api-layers-server.ts';
import { renderChart } from './lib/chart.ts';
import { type CaseResult, cpuRatio, ratio, runRounds } from './lib/rounds.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 1);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);

/** What loadConfig needs; no token is verified and no store or database is opened. */
const ENV = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  COGNITO_REGION: 'us-east-1',
  COGNITO_USER_POOL_ID: 'us-east-1_bench',
  COGNITO_CLIENT_IDS: 'benchclient',
  WEB_ORIGIN: 'http://localhost:5173',
};
Object.assign(process.env, ENV);

interface Server {
  name: string;
  port: number;
  child: ChildProcess;
}

function start(name: string, layers: number): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'api-layers-server.ts')], {
    env: { ...process.env, BENCH_LAYERS: String(layers) },
    // Logs go to /dev/null, as in bench/api.ts: their cost stays, no reader.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ name, port: m.port, child }));
    child.once('exit', (code) => reject(new Error(`${name}: server exited (${code})`)));
  });
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const load0 = loadavg();
  const names = layerNames();
  const steps = [
    { name: 'bare Fastify', layers: -1 },
    { name: '+ server options (JSON logger, request ids)', layers: 0 },
    ...names.map((n, i) => ({ name: `+ ${n}`, layers: i + 1 })),
  ];
  const servers: Server[] = [];
  try {
    for (const s of steps) servers.push(await start(s.name, s.layers));
    console.log(
      `${steps.length} servers, ${ROUNDS} interleaved rounds of ${SECONDS} s, ${CONNECTIONS} connections`,
    );
    const results = await runRounds(
      servers.map((s) => ({
        name: s.name,
        url: `http://127.0.0.1:${s.port}/bench/public`,
        pid: s.child.pid!,
      })),
      { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS },
    );
    const bare = results[0]!;
    const rows = results.map((r: CaseResult, i) => ({
      step: r.name,
      'req/s': r.reqPerSec,
      'CPU µs/req': r.cpuUsPerReq,
      'vs bare': round(ratio(r, bare)),
      'vs bare per CPU': round(cpuRatio(r, bare)),
      'vs step before': i === 0 ? 1 : round(ratio(r, results[i - 1]!)),
      failed: r.failed,
    }));
    console.table(rows);
    const load1 = loadavg();
    console.log(
      `load average ${load0.map((l) => l.toFixed(1)).join(' ')} -> ${load1.map((l) => l.toFixed(1)).join(' ')}; ` +
        "ratios are medians of per-round ratios; the last step is every layer of the API's request path " +
        'without its routes, stores and guards (bench/api.ts measures the whole API)',
    );
    mkdirSync(join(here, 'results'), { recursive: true });
    const when = new Date().toISOString();
    writeFileSync(
      join(here, 'results', 'api-layers.json'),
      `${JSON.stringify({ when, rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, loadBefore: load0, loadAfter: load1, steps: rows, cases: results }, null, 2)}\n`,
    );
    writeFileSync(
      join(here, 'results', 'api-layers.svg'),
      renderChart(
        "The API's request path, one layer at a time — one run, interleaved rounds",
        results,
        `${when} · node ${process.version} · ${ROUNDS} rounds x ${SECONDS} s · ${CONNECTIONS} connections · loopback · medians over rounds`,
      ),
    );
    console.log('wrote bench/results/api-layers.json and bench/results/api-layers.svg');
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
  }
}

await main();
