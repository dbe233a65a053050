/**
 * The benches `npm run bench` runs, one after the other (never in parallel: 2 noisy cores), and
 * how: each with shorter settings than it has alone (its env defaults, which the caller's own
 * environment overrides) and a time cap, so the whole run stays under 6 minutes. A bench over its
 * cap is stopped with its whole process group and reported as timed out, never silently dropped.
 */
import { spawn } from 'node:child_process';

export interface Plan {
  name: string;
  /** Settings for the suite; a bench run alone keeps its own (fuller) defaults. */
  env: Record<string, string>;
  /** At most this long in the suite (it is stopped after). */
  capSeconds: number;
}

/**
 * The load test first (about a minute, whatever the machine's load), then the benches with targets
 * (api, idp), then the start times and the rest. Caps add up to more than the budget on purpose: on a
 * quiet machine most finish well under theirs; on a busy one (load average ~22 on 2 cores: api.ts
 * alone takes ~140 s, seeding the 100k pool ~200 s) the budget stops or skips the last ones rather
 * than overrun, and the summary says which.
 */
export const SUITE: Plan[] = [
  { name: 'load', env: { BENCH_LOAD_SECONDS: '20' }, capSeconds: 75 },
  { name: 'api', env: { BENCH_ROUNDS: '3', BENCH_SECONDS: '1' }, capSeconds: 160 },
  {
    name: 'idp',
    env: { BENCH_IDP_SIZES: '100,100000', BENCH_ROUNDS: '2', BENCH_SECONDS: '2' },
    capSeconds: 160,
  },
  { name: 'start', env: { BENCH_ROUNDS: '1' }, capSeconds: 90 },
  { name: 'limits', env: { BENCH_ROUNDS: '3', BENCH_SECONDS: '1' }, capSeconds: 45 },
  { name: 'srp', env: {}, capSeconds: 35 },
  { name: 'auth-answers', env: { ROUNDS: '4' }, capSeconds: 45 },
  // No target of its own: it shows where api.ts's unauthenticated / bare Fastify ratio goes (ADR 0211).
  { name: 'api-layers', env: { BENCH_ROUNDS: '6' }, capSeconds: 100 },
];

/** The whole suite's budget (issue 17: under 6 minutes in all), with room for the summary. */
export const BUDGET_SECONDS = 345;

/** Set by Ctrl-C while a bench runs: the caller skips the rest and still writes the summary. */
export const interruption = { requested: false };

export interface BenchRun {
  name: string;
  status: 'ok' | 'failed' | 'timed out' | 'skipped';
  seconds: number;
  /** Why it failed or was skipped. */
  detail?: string;
  /** When it started (ms since the epoch): its result file must be newer. */
  startedAt: number;
}

/**
 * Runs `tsx <file>` in its own process group with `env` under the caller's environment, for at most
 * `capSeconds` (then SIGTERM to the group, SIGKILL 5 s later). `tick` is called every `tickSeconds`.
 */
export function runBench(
  name: string,
  command: { tsx: string; file: string },
  opts: {
    env: Record<string, string>;
    capSeconds?: number;
    tick?: (seconds: number) => void;
    tickSeconds?: number;
  },
): Promise<BenchRun> {
  const startedAt = Date.now();
  const seconds = () => Math.round((Date.now() - startedAt) / 100) / 10;
  return new Promise((resolve) => {
    const child = spawn(command.tsx, [command.file], {
      stdio: 'inherit',
      detached: true, // its own process group: a timeout stops the servers it started too
      env: { ...opts.env, ...process.env },
    });
    let timedOut = false;
    const ticker = opts.tick
      ? setInterval(() => opts.tick!(seconds()), (opts.tickSeconds ?? 20) * 1000)
      : undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {}
    };
    let hardKill: NodeJS.Timeout | undefined;
    const cap =
      opts.capSeconds !== undefined
        ? setTimeout(() => {
            timedOut = true;
            killGroup('SIGTERM');
            hardKill = setTimeout(() => killGroup('SIGKILL'), 5000);
          }, opts.capSeconds * 1000)
        : undefined;
    // Ctrl-C on the suite stops the bench's group too (it is not in our foreground group), and the
    // suite starts no further bench.
    const onSigint = () => {
      interruption.requested = true;
      killGroup('SIGINT');
    };
    process.once('SIGINT', onSigint);
    child.once('exit', (code, signal) => {
      clearInterval(ticker);
      clearTimeout(cap);
      clearTimeout(hardKill);
      process.off('SIGINT', onSigint);
      // Whatever it left in its group (a server it started) goes with it.
      killGroup('SIGKILL');
      const base = { name, seconds: seconds(), startedAt };
      if (timedOut)
        resolve({ ...base, status: 'timed out', detail: `stopped after its ${opts.capSeconds} s cap` });
      else if (code === 0) resolve({ ...base, status: 'ok' });
      else
        resolve({ ...base, status: 'failed', detail: signal ? `killed by ${signal}` : `exit code ${code}` });
    });
    child.once('error', (err) =>
      resolve({ name, seconds: seconds(), startedAt, status: 'failed', detail: err.message }),
    );
  });
}
