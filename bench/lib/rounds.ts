/**
 * Interleaved rounds with autocannon: every case runs once per round (A B C, B C A, …), so the noise
 * of a shared machine hits them alike; a ratio is the median of its per-round ratios, which is what
 * stays stable on 2 busy cores. The peak RSS of each case's server process is sampled from /proc.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = require('autocannon') as Autocannon;

export interface Case {
  name: string;
  /** Full URL on loopback. */
  url: string;
  headers?: Record<string, string>;
  /** The server process, for its RSS under load. */
  pid: number;
}

export interface Sample {
  reqPerSec: number;
  /** The server process's CPU time (all its threads) per answered request, in µs. */
  cpuUsPerReq: number;
  p50ms: number;
  p99ms: number;
  failed: number;
}

export interface CaseResult {
  name: string;
  rounds: Sample[];
  /** Medians over rounds. */
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
  /** Median over rounds: the server's CPU µs per request (less sensitive to a busy machine). */
  cpuUsPerReq: number;
  /** Non-2xx answers, errors and timeouts over all rounds. */
  failed: number;
  peakRssMiB: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median over rounds of a[i] / b[i] (throughput). */
export function ratio(a: CaseResult, b: CaseResult): number {
  return median(a.rounds.map((r, i) => r.reqPerSec / Math.max(1e-9, b.rounds[i]!.reqPerSec)));
}

/**
 * Median over rounds of b's CPU per request / a's: how many times more requests a serves per CPU
 * second. On a shared machine throughput follows the CPU share a process gets (and the load
 * generator's); the CPU each request costs does not.
 */
export function cpuRatio(a: CaseResult, b: CaseResult): number {
  return median(a.rounds.map((r, i) => b.rounds[i]!.cpuUsPerReq / Math.max(1e-9, r.cpuUsPerReq)));
}

/**
 * User + system CPU time of a process (all threads) in ms, from /proc (clock ticks of 10 ms); with
 * `tid`, of that thread only (`tid = pid`: the main thread, a Node process's event loop).
 */
export function cpuMs(pid: number, tid?: number): number {
  try {
    const path = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

export function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function once(c: Case, seconds: number, connections: number): Promise<Sample & { rss: number }> {
  let rss = rssMiB(c.pid);
  const timer = setInterval(() => {
    rss = Math.max(rss, rssMiB(c.pid));
  }, 250);
  const cpuBefore = cpuMs(c.pid);
  try {
    const r = await autocannon({
      url: c.url,
      connections,
      duration: seconds,
      timeout: 10,
      ...(c.headers ? { headers: c.headers } : {}),
    });
    const cpu = cpuMs(c.pid) - cpuBefore;
    return {
      reqPerSec: r.requests.total / seconds,
      cpuUsPerReq: r.requests.total > 0 ? (cpu * 1000) / r.requests.total : 0,
      p50ms: r.latency.p50,
      p99ms: r.latency.p99,
      failed: r.non2xx + r.errors + r.timeouts,
      rss,
    };
  } finally {
    clearInterval(timer);
  }
}

export async function runRounds(
  cases: Case[],
  opts: { rounds: number; seconds: number; connections: number; warmupSeconds?: number },
): Promise<CaseResult[]> {
  for (const c of cases) await once(c, opts.warmupSeconds ?? 1, opts.connections);
  const samples: Sample[][] = cases.map(() => []);
  const rss = cases.map(() => 0);
  for (let round = 0; round < opts.rounds; round++) {
    // Each round starts one case later (A B C, B C A, C A B, …): with a fixed order the case right
    // after bare Fastify read ~0.2 low in every run (bench README, api.ts), whatever its code.
    for (let k = 0; k < cases.length; k++) {
      const i = (k + round) % cases.length;
      const c = cases[i]!;
      const s = await once(c, opts.seconds, opts.connections);
      samples[i]!.push(s);
      rss[i] = Math.max(rss[i]!, s.rss);
    }
    process.stdout.write(`  round ${round + 1}/${opts.rounds} done\n`);
  }
  return cases.map((c, i) => {
    const rs = samples[i]!;
    return {
      name: c.name,
      rounds: rs.map((s) => ({
        ...s,
        reqPerSec: Math.round(s.reqPerSec),
        cpuUsPerReq: round1(s.cpuUsPerReq),
      })),
      reqPerSec: Math.round(median(rs.map((s) => s.reqPerSec))),
      cpuUsPerReq: round1(median(rs.map((s) => s.cpuUsPerReq))),
      p50ms: median(rs.map((s) => s.p50ms)),
      p99ms: median(rs.map((s) => s.p99ms)),
      failed: rs.reduce((n, s) => n + s.failed, 0),
      peakRssMiB: Math.round(rss[i]!),
    };
  });
}
