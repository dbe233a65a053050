/**
 * `npx tsx bench/idp.ts`: the local IdP over HTTP with the AWS SDK, with 100, 10k and 100k users in its
 * pool (BENCH_IDP_SIZES), one IdP process per pool size, all started before measuring. In interleaved
 * rounds (every case once per round) it runs SRP sign-ins (InitiateAuth + RespondToAuthChallenge) and
 * USER_PASSWORD_AUTH sign-ins (scrypt) per second against each; it also times loading each pool
 * (the store's load in this process, and the IdP from spawn to "listening") and ListUsers with a filter,
 * and samples each IdP's RSS. Ratios are medians of
 * per-round ratios. The sign-ins come from BENCH_CLIENT_PROCS client processes (their SRP math and the
 * AWS SDK off this process); each case also reports the IdP's CPU per sign-in (all its threads, and its
 * event loop alone) and the rate that CPU allows on this machine's cores.
 * Results: bench/results/idp.json ({cases, pools, ratios, targets}).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  baseDataFolder,
  benchEmails,
  benchPassword,
  type RunningIdp,
  seedDataFolder,
  startOn,
  timeStoreLoad,
} from './lib/idp-pool.ts';
import { cpuMs, median, rssMiB } from './lib/rounds.ts';
import { type SignInTarget, startSignInClients } from './lib/sign-in-clients.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_IDP_SIZES ?? '100,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CLIENT_PROCS = Number(process.env.BENCH_CLIENT_PROCS ?? 2);
const CORES = availableParallelism();
const LIST_CALLS = 15;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

interface Target {
  name: string;
  value: number;
  target: number;
  /** `min`: value ≥ target; `max`: value < target. */
  kind: 'min' | 'max';
  met: boolean;
  unit?: string;
}

/** CONCURRENCY loops; loop k signs in as bench user k mod 4. */
const loopEmails = Array.from({ length: CONCURRENCY }, (_, k) => benchEmails[k % benchEmails.length]!);

function flowsOf(idp: RunningIdp) {
  const cognito = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const backend = idp.pool.clients.backend!;
  const target: SignInTarget = {
    url: idp.url,
    region: idp.pool.region,
    userPoolId: idp.pool.poolId,
    ...backend,
  };
  return {
    cognito,
    target,
    /** Latency of ListUsers with a prefix filter (a scan of the whole pool), ms per call. */
    async listUsers(): Promise<number[]> {
      const times: number[] = [];
      for (let i = 0; i < LIST_CALLS; i++) {
        const t = performance.now();
        const out = await cognito.send(
          new ListUsersCommand({ UserPoolId: idp.pool.poolId, Filter: 'email ^= "bench"', Limit: 60 }),
        );
        times.push(performance.now() - t);
        if (out.Users?.length !== benchEmails.length) throw new Error(`ListUsers found ${out.Users?.length}`);
      }
      return times;
    },
  };
}

async function main() {
  const started = Date.now();
  const loadBefore = loadavg().map((l) => Number(l.toFixed(1)));
  const pools: Array<{
    size: number;
    seedSeconds: number;
    loadSeconds: number;
    loadCpuSeconds: number;
    startSeconds: number;
    listUsersMs?: number;
  }> = [];
  const idps: Array<{ size: number; idp: RunningIdp & { remove(): Promise<void> } }> = [];
  const base = await baseDataFolder();
  const signIns = startSignInClients(CLIENT_PROCS);
  try {
    for (const size of SIZES) {
      const { dataDir, seedSeconds } = await seedDataFolder(base, size);
      const load = await timeStoreLoad(dataDir);
      const idp = await startOn(dataDir);
      idps.push({ size, idp });
      pools.push({
        size,
        seedSeconds: round(seedSeconds),
        loadSeconds: round(load.wall),
        loadCpuSeconds: round(load.cpu),
        startSeconds: round(idp.startSeconds),
      });
      console.log(
        `pool of ${label(size)} users: seeded in ${round(seedSeconds)} s, store loads in ${round(load.wall)} s (${round(load.cpu)} s CPU), IdP up in ${round(idp.startSeconds)} s`,
      );
    }
    const flows = idps.map(({ size, idp }) => ({ size, pid: idp.pid, ...flowsOf(idp) }));
    const cases = flows.flatMap((f) =>
      (['srp', 'password'] as const).map((flow) => ({
        name: `${flow === 'srp' ? 'SRP' : 'USER_PASSWORD_AUTH'} sign-in, ${label(f.size)} users`,
        size: f.size,
        flow,
        pid: f.pid,
        target: f.target,
        rounds: [] as number[],
        /** The IdP's CPU ms per sign-in per round: all its threads, and its main thread (event loop). */
        cpuMs: [] as number[],
        loopMs: [] as number[],
        /** The bench's client processes' CPU ms per sign-in (the SDK and the client's SRP math). */
        clientMs: [] as number[],
        peakRssMiB: 0,
      })),
    );
    const job = (c: (typeof cases)[number], seconds: number) =>
      signIns.run({ target: c.target, flow: c.flow, password: benchPassword, seconds }, loopEmails);
    // warm-up (the client processes load tsx and the SDK, the IdP starts its SRP threads) and a check
    // that every flow works
    for (const c of cases) await job(c, 0.5);
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of cases) {
        const clientCpu = () => signIns.pids.reduce((ms, pid) => ms + cpuMs(pid), 0);
        const [cpu0, loop0, client0] = [cpuMs(c.pid), cpuMs(c.pid, c.pid), clientCpu()];
        const { done, seconds } = await job(c, SECONDS);
        c.rounds.push(done / seconds);
        c.cpuMs.push((cpuMs(c.pid) - cpu0) / Math.max(1, done));
        c.loopMs.push((cpuMs(c.pid, c.pid) - loop0) / Math.max(1, done));
        c.clientMs.push((clientCpu() - client0) / Math.max(1, done));
        c.peakRssMiB = Math.max(c.peakRssMiB, rssMiB(c.pid));
      }
      console.log(`round ${r + 1}/${ROUNDS} done`);
    }
    for (const f of flows) {
      const times = await f.listUsers();
      pools.find((p) => p.size === f.size)!.listUsersMs = round(median(times));
    }
    const small = Math.min(...SIZES);
    const big = Math.max(...SIZES);
    const ratioOf = (flow: string) => {
      const a = cases.find((c) => c.flow === flow && c.size === big)!;
      const b = cases.find((c) => c.flow === flow && c.size === small)!;
      return round(median(a.rounds.map((x, i) => x / b.rounds[i]!)));
    };
    const ratios = { srp: ratioOf('srp'), password: ratioOf('password') };
    const bigPool = pools.find((p) => p.size === big)!;
    const srpBigCase = cases.find((c) => c.flow === 'srp' && c.size === big)!;
    const srpBig = median(srpBigCase.rounds);
    const target = (name: string, value: number, t: number, kind: 'min' | 'max'): Target => ({
      name,
      value: round(value),
      target: t,
      kind,
      met: kind === 'min' ? value >= t : value < t,
    });
    const targets: Target[] = [
      target(`SRP sign-ins/s, ${label(big)} users / ${label(small)} users`, ratios.srp, 0.8, 'min'),
      target(`SRP sign-ins/s with ${label(big)} users`, srpBig, 150, 'min'),
      target(`${label(big)}-user pool: the IdP's store loads it, s`, bigPool.loadSeconds, 5, 'max'),
      target(
        `ListUsers with a filter, ${label(big)} users, median ms`,
        bigPool.listUsersMs ?? Infinity,
        50,
        'max',
      ),
    ];
    // After the measured rate on purpose: the summary's "SRP sign-ins per second" takes the first SRP row.
    targets.push(
      target(
        `SRP sign-ins/s the IdP's CPU allows on ${CORES} cores, ${label(big)} users (cores x 1000 ÷ CPU ms, at most 1000 ÷ event-loop ms)`,
        capacity(srpBigCase),
        150,
        'min',
      ),
    );
    targets.at(-1)!.unit = '/s';
    const table = cases.map((c) => ({
      case: c.name,
      'per s (median)': round(median(c.rounds)),
      rounds: c.rounds.map((x) => round(x)).join(' / '),
      'IdP CPU ms': round(median(c.cpuMs)),
      'event loop ms': round(median(c.loopMs)),
      [`capacity /s (${CORES} cores)`]: round(capacity(c)),
      'client CPU ms': round(median(c.clientMs)),
      'peak RSS MiB': Math.round(c.peakRssMiB),
    }));
    const loadAfter = loadavg().map((l) => Number(l.toFixed(1)));
    console.log(
      `\nlocal IdP over HTTP, AWS SDK v3, ${CONCURRENCY} concurrent loops in ${signIns.count} client processes (their SRP math is not in this process), ${ROUNDS} rounds x ${SECONDS} s; load average ${loadBefore.join(' ')} -> ${loadAfter.join(' ')}`,
    );
    console.table(table);
    console.log(
      `IdP CPU ms: user + system time of the IdP process (all threads) per sign-in; event loop ms: its main thread's. Capacity = min(${CORES} cores x 1000 ÷ CPU ms, 1000 ÷ event-loop ms): the rate the IdP could serve with the cores to itself (the client processes share them here; client CPU ms is theirs per sign-in).`,
    );
    console.table(pools);
    console.log(
      `ratios (${label(big)} / ${label(small)} users): SRP ${ratios.srp}x, USER_PASSWORD_AUTH ${ratios.password}x`,
    );
    console.log('targets:');
    for (const t of targets)
      console.log(
        `  ${t.met ? 'MET    ' : 'NOT MET'} ${t.name}: ${t.value} (target ${t.kind === 'min' ? '>=' : '<'} ${t.target})`,
      );
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(
      join(here, 'results', 'idp.json'),
      `${JSON.stringify(
        {
          when: new Date().toISOString(),
          node: process.version,
          rounds: ROUNDS,
          secondsPerCase: SECONDS,
          concurrency: CONCURRENCY,
          clientProcesses: signIns.count,
          cores: CORES,
          loadAverage: { before: loadBefore, after: loadAfter },
          cases: cases.map((c) => ({
            name: c.name,
            size: c.size,
            flow: c.flow,
            perSecond: round(median(c.rounds)),
            rounds: c.rounds.map((x) => round(x)),
            cpuMsPerSignIn: round(median(c.cpuMs)),
            loopMsPerSignIn: round(median(c.loopMs)),
            capacityPerSecond: round(capacity(c)),
            clientCpuMsPerSignIn: round(median(c.clientMs)),
            peakRssMiB: Math.round(c.peakRssMiB),
          })),
          pools,
          ratios,
          targets,
          seconds: Math.round((Date.now() - started) / 1000),
        },
        null,
        2,
      )}\n`,
    );
    for (const f of flows) f.cognito.destroy();
  } finally {
    await signIns.close();
    await Promise.all(idps.map(({ idp }) => idp.remove()));
    rmSync(base, { recursive: true, force: true });
  }
}

/** The sign-ins/s the IdP's own CPU allows: its cores, capped by its one event loop (medians over rounds). */
function capacity(c: { cpuMs: number[]; loopMs: number[] }): number {
  const cpu = median(c.cpuMs);
  const loop = median(c.loopMs);
  return Math.min(cpu > 0 ? (CORES * 1000) / cpu : Infinity, loop > 0 ? 1000 / loop : Infinity);
}

function round(x: number) {
  return Number(x.toFixed(x >= 100 ? 0 : 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
