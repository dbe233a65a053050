/**
 * How long `npm start` takes to print "ready" (issue 9 item 8: under 5 s warm, under 10 s cold on
 * 2 cores), and how much CPU the whole stack burned to get there (less sensitive to the machine's
 * load than wall time). Cold: an empty data folder (PGlite's initdb, the IdP's first pool); warm:
 * the same folder again. The web build is made once beforehand (it is not part of a warm start;
 * a fresh clone's first start also builds it). Each round runs cold then warm, on free ports. The
 * CPU is also given per part (the start process, api, idp, s3), to find which one a regression is in.
 * Run: npx tsx bench/start.ts   (BENCH_ROUNDS, default 3; writes bench/results/start.json)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild, freePort } from '@app/stack';
import { descendants } from '../packages/stack/src/run/proc-tree.ts';
import { cpuMs } from './lib/rounds.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** CPU seconds (user + system, all threads) a process has used so far. */
const cpuSeconds = (pid: number) => cpuMs(pid) / 1000;

/** Which part a process of the stack is, from its command line (the CPU per part finds a regression). */
function partOf(cmd: string): string {
  if (cmd.includes('/esbuild')) return 'esbuild (tsx)';
  if (cmd.includes('parts/api-process.ts')) return 'api';
  if (cmd.includes('parts/s3.ts')) return 's3';
  if (cmd.includes('apps/idp/src/main.ts')) return 'idp';
  if (cmd.includes('dynalite')) return 'dynamodb';
  return 'other';
}

interface Run {
  kind: 'cold' | 'warm';
  wallSeconds: number;
  /** What the start script itself printed ("ready in X s"). */
  reportedSeconds: number;
  cpuSeconds: number;
  /** CPU seconds by part: the start process, api, idp, s3, … */
  cpuByPart: Record<string, number>;
  load1: number;
}

async function startOnce(kind: Run['kind'], dataDir: string): Promise<Run> {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    IDP_PORT: String(await freePort()),
    API_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    // The parts added since (fixed defaults 4568 and 9340) on free ports too: runs may overlap.
    S3_PORT: String(await freePort()),
    MOCK_OIDC_PORT: String(await freePort()),
    LOG_FORMAT: 'pretty',
    DATABASE_URL: '',
    REDIS_URL: '',
  };
  const load1 = loadavg()[0]!;
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'scripts', 'start.ts')],
    {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const ready = await new Promise<{ wall: number; reported: number }>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ready in ([\d.]+) s/.exec(out);
      if (m) resolve({ wall: (performance.now() - started) / 1000, reported: Number(m[1]) });
    });
    child.stderr!.on('data', (c: Buffer) => {
      out += c.toString();
    });
    void exited.then((code) => reject(new Error(`npm start exited (${code}) before ready:\n${out}`)));
  });
  const cpuByPart: Record<string, number> = { start: cpuSeconds(child.pid!) };
  for (const p of descendants(child.pid!)) {
    const part = partOf(p.cmd);
    cpuByPart[part] = (cpuByPart[part] ?? 0) + cpuSeconds(p.pid);
  }
  const cpu = Object.values(cpuByPart).reduce((sum, s) => sum + s, 0);
  child.kill('SIGINT');
  await exited;
  return {
    kind,
    wallSeconds: ready.wall,
    reportedSeconds: ready.reported,
    cpuSeconds: cpu,
    cpuByPart,
    load1,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main() {
  await ensureWebBuild();
  const runs: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
    try {
      for (const kind of ['cold', 'warm'] as const) {
        const run = await startOnce(kind, dataDir);
        runs.push(run);
        console.log(
          `round ${round} ${kind}: ready after ${run.wallSeconds.toFixed(1)} s (script says ${run.reportedSeconds} s), ` +
            `${run.cpuSeconds.toFixed(1)} CPU s (${Object.entries(run.cpuByPart)
              .map(([part, cpu]) => `${part} ${cpu.toFixed(1)}`)
              .join(', ')}), load average ${run.load1.toFixed(1)}`,
        );
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log('\n| start | median wall s | median CPU s (all processes) | target | median load average |');
  console.log('| --- | --- | --- | --- | --- |');
  const summary: Record<string, unknown> = {};
  for (const kind of ['cold', 'warm'] as const) {
    const rs = runs.filter((r) => r.kind === kind);
    const wall = median(rs.map((r) => r.wallSeconds));
    const cpu = median(rs.map((r) => r.cpuSeconds));
    const target = kind === 'cold' ? 10 : 5;
    const parts = [...new Set(rs.flatMap((r) => Object.keys(r.cpuByPart)))];
    summary[kind] = {
      wallSeconds: wall,
      cpuSeconds: cpu,
      cpuByPart: Object.fromEntries(parts.map((p) => [p, median(rs.map((r) => r.cpuByPart[p] ?? 0))])),
      target,
      met: wall < target,
      load1: median(rs.map((r) => r.load1)),
    };
    console.log(
      `| ${kind} | ${wall.toFixed(1)} | ${cpu.toFixed(1)} | < ${target} s: ${wall < target ? 'MET' : 'NOT MET'} | ${median(rs.map((r) => r.load1)).toFixed(1)} |`,
    );
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'start.json'),
    `${JSON.stringify({ rounds: ROUNDS, runs, summary }, null, 2)}\n`,
  );
}

await main();
