/**
 * `npx tsx bench/idp.ts`: the local IdP over HTTP with the AWS SDK, with 100, 10k and 100k users in its
 * pool (BENCH_IDP_SIZES), one IdP process per pool size, all started before measuring. In interleaved
 * rounds (every case once per round) it runs SRP sign-ins (InitiateAuth + RespondToAuthChallenge) and
 * USER_PASSWORD_AUTH sign-ins (scrypt) per second against each; it also times loading each pool
 * (the store's load in this process, and the IdP from spawn to "listening") and ListUsers with a filter,
 * and samples each IdP's RSS. Ratios are medians of
 * per-round ratios. Results: bench/results/idp.json ({cases, pools, ratios, targets}).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretHashParam, srpSignIn } from '@app/cognito-srp/sign-in';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  baseDataFolder,
  benchEmails,
  benchPassword,
  type RunningIdp,
  seedDataFolder,
  startOn,
  timeStoreLoad,
} from './lib/idp-pool.ts';
import { median, rssMiB } from './lib/rounds.ts';

const here = dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.BENCH_IDP_SIZES ?? '100,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const LIST_CALLS = 15;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

interface Target {
  name: string;
  value: number;
  target: number;
  /** `min`: value ≥ target; `max`: value < target. */
  kind: 'min' | 'max';
  met: boolean;
}

/** Runs `op` from CONCURRENCY loops for SECONDS; loop k signs in as bench user k mod 4. */
async function perSecond(op: (email: string) => Promise<void>): Promise<number> {
  let done = 0;
  const started = performance.now();
  const until = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, k) => {
      const email = benchEmails[k % benchEmails.length]!;
      while (performance.now() < until) {
        await op(email);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

function flowsOf(idp: RunningIdp) {
  const cognito = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const backend = idp.pool.clients.backend!;
  const client = { userPoolId: idp.pool.poolId, ...backend };
  return {
    cognito,
    async srp(email: string) {
      const done = await srpSignIn(cognito, client, email, benchPassword);
      if (!done.AuthenticationResult?.AccessToken) throw new Error('SRP sign-in returned no tokens');
    },
    async password(email: string) {
      const out = await cognito.send(
        new InitiateAuthCommand({
          ClientId: backend.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: benchPassword, ...secretHashParam(client, email) },
        }),
      );
      if (!out.AuthenticationResult?.AccessToken) throw new Error('password sign-in returned no tokens');
    },
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
    for (const f of flows) {
      await f.srp(benchEmails[0]!); // warm-up, and a check that the flows work
      await f.password(benchEmails[0]!);
    }
    const cases = flows.flatMap((f) =>
      (['srp', 'password'] as const).map((flow) => ({
        name: `${flow === 'srp' ? 'SRP' : 'USER_PASSWORD_AUTH'} sign-in, ${label(f.size)} users`,
        size: f.size,
        flow,
        pid: f.pid,
        run: (email: string) => f[flow](email),
        rounds: [] as number[],
        peakRssMiB: 0,
      })),
    );
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of cases) {
        c.rounds.push(await perSecond(c.run));
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
    const srpBig = median(cases.find((c) => c.flow === 'srp' && c.size === big)!.rounds);
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
    const table = cases.map((c) => ({
      case: c.name,
      'per s (median)': round(median(c.rounds)),
      rounds: c.rounds.map((x) => round(x)).join(' / '),
      'peak RSS MiB': Math.round(c.peakRssMiB),
    }));
    const loadAfter = loadavg().map((l) => Number(l.toFixed(1)));
    console.log(
      `\nlocal IdP over HTTP, AWS SDK v3, ${CONCURRENCY} concurrent clients, ${ROUNDS} rounds x ${SECONDS} s; load average ${loadBefore.join(' ')} -> ${loadAfter.join(' ')}`,
    );
    console.table(table);
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
          loadAverage: { before: loadBefore, after: loadAfter },
          cases: cases.map((c) => ({
            name: c.name,
            size: c.size,
            flow: c.flow,
            perSecond: round(median(c.rounds)),
            rounds: c.rounds.map((x) => round(x)),
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
    await Promise.all(idps.map(({ idp }) => idp.remove()));
    rmSync(base, { recursive: true, force: true });
  }
}

function round(x: number) {
  return Number(x.toFixed(x >= 100 ? 0 : 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
