/**
 * `npx tsx bench/load.ts` (or `npm run bench -- load`): a load test of the whole local stack, started
 * as `npm start` starts it (packages/stack's startStack() with the IdP and the API each in its own
 * process, the pool's Lambda triggers on; embedded PGlite + in-memory store, or Postgres / Redis when
 * DATABASE_URL / REDIS_URL are set). Virtual users run a realistic mix on loopback: sign-ups through
 * the IdP (confirmed with the code from its dev mailbox), SRP sign-ins (@app/cognito-srp), token
 * refreshes, item CRUD through the API and admin user lists (an admin in the `admin` group).
 * Bounded: BENCH_LOAD_SECONDS (default 60) and BENCH_LOAD_MAX_REQUESTS (default 100 000);
 * BENCH_LOAD_USERS virtual users (default 8). Reports per kind of request the throughput, p50/p99
 * latency and errors (never hidden) and writes bench/results/load.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { srpSignIn } from '@app/cognito-srp/sign-in';
import { describeExit, freePort, projectFunctionsFile, type RunningStack, startStack } from '@app/stack';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { LoadRecorder, pickWeighted } from './lib/load-stats.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const here = dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const USERS = Number(process.env.BENCH_LOAD_USERS ?? 8);
const MAX_REQUESTS = Number(process.env.BENCH_LOAD_MAX_REQUESTS ?? 100_000);

/** The mix: how often a virtual user does each thing, relative to the others. */
const MIX: [Kind, number][] = [
  ['sign-up', 3],
  ['SRP sign-in', 8],
  ['token refresh', 10],
  ['item create', 18],
  ['item read', 20],
  ['item list', 12],
  ['item update', 12],
  ['item delete', 8],
  ['admin list users', 9],
];
type Kind =
  | 'sign-up'
  | 'SRP sign-in'
  | 'token refresh'
  | 'item create'
  | 'item read'
  | 'item list'
  | 'item update'
  | 'item delete'
  | 'admin list users';

interface Account {
  email: string;
  password: string;
  items: { id: string; etag: string }[];
}
interface Session {
  account: Account;
  access: string;
  refresh: string;
}

/** A failed request: `reason` is an error name or HTTP status, never a body that could hold a token. */
class RequestFailed extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const newPassword = () => randomBytes(15).toString('base64url');

async function main(): Promise<void> {
  const started = Date.now();
  const load1Before = loadavg();
  const admin = { email: 'load-admin@example.com', name: 'Load Admin', password: newPassword() };
  const partLines: string[] = [];
  let partDied: string | undefined;
  const settings = {
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  };
  const storage = `${settings.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PGlite'}, ${settings.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-memory store'}`;
  console.log(`  starting the stack as npm start does (${storage}), web app left out…`);
  const stack: RunningStack = await startStack({
    // Spawned parts need their ports up front (as npm start's fixed ones): free ones on loopback.
    ports: { idp: await freePort(), api: await freePort(), s3: await freePort() },
    processes: {
      // Kept only to explain a part that dies; the parts' logs carry no secrets (ADR 0097).
      onLine: (part, line) => {
        partLines.push(`[${part}] ${line}`);
        if (partLines.length > 40) partLines.shift();
      },
      onExit: (part, exit) => {
        partDied = `${part} stopped during the load test (${describeExit(exit)})`;
      },
    },
    idp: { users: [{ ...admin, groups: ['admin'] }], functions: projectFunctionsFile },
    api: { settings },
    web: false,
  });
  const idpUrl = stack.idp.url;
  const apiUrl = `${stack.api!.url!}/api/v1`;
  const { poolIds } = stack.idp;
  const client = { userPoolId: poolIds.poolId, clientId: poolIds.webClientId };
  const cognito = new CognitoIdentityProviderClient({
    region: poolIds.region,
    endpoint: idpUrl,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  console.log(
    `  stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s (IdP ${idpUrl}, API ${apiUrl})`,
  );

  const rec = new LoadRecorder();
  const accounts: Account[] = [];
  const held = new Set<Account>();
  let seq = 0;

  /** Times one request into the recorder; rethrows so the virtual user can react. */
  async function timed<T>(kind: Kind, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      const out = await fn();
      rec.record(kind, performance.now() - t0);
      return out;
    } catch (err) {
      const reason =
        err instanceof RequestFailed ? err.reason : ((err as Error).name ?? 'Error').slice(0, 80);
      rec.record(kind, performance.now() - t0, reason);
      throw err;
    }
  }

  async function api(path: string, token: string, init: RequestInit = {}, expect = 200): Promise<Response> {
    const res = await fetch(`${apiUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
    if (res.status !== expect) {
      await res.arrayBuffer();
      throw new RequestFailed(`HTTP ${res.status}`);
    }
    return res;
  }

  const signIn = (account: Account) =>
    timed('SRP sign-in', async () => {
      const out = await srpSignIn(cognito, client, account.email, account.password);
      const r = out.AuthenticationResult;
      if (!r?.AccessToken || !r.RefreshToken) throw new RequestFailed(`challenge ${out.ChallengeName}`);
      return { account, access: r.AccessToken, refresh: r.RefreshToken } as Session;
    });

  /** `hold`: the caller will use the account at once, so no other virtual user may sign in to it. */
  const signUp = (hold: boolean) =>
    timed('sign-up', async () => {
      const account: Account = {
        email: `load-${++seq}-${randomBytes(3).toString('hex')}@example.com`,
        password: newPassword(),
        items: [],
      };
      await cognito.send(
        new SignUpCommand({
          ClientId: client.clientId,
          Username: account.email,
          Password: account.password,
          UserAttributes: [{ Name: 'email', Value: account.email }],
        }),
      );
      const res = await fetch(`${idpUrl}/_dev/mailbox?to=${encodeURIComponent(account.email)}`);
      const { messages } = (await res.json()) as { messages: { kind: string; code?: string }[] };
      const code = messages.find((m) => m.kind === 'signup')?.code;
      if (!code) throw new RequestFailed('no sign-up code in the dev mailbox');
      await cognito.send(
        new ConfirmSignUpCommand({
          ClientId: client.clientId,
          Username: account.email,
          ConfirmationCode: code,
        }),
      );
      if (hold) held.add(account);
      accounts.push(account);
      return account;
    });

  const adminSession = await signIn({ ...admin, items: [] });
  const deadline = Date.now() + SECONDS * 1000;
  const windowStart = performance.now();
  const over = () => Date.now() >= deadline || rec.total >= MAX_REQUESTS || partDied !== undefined;

  async function virtualUser(): Promise<void> {
    let session: Session | undefined;
    while (!over()) {
      try {
        if (!session) {
          const account = await signUp(true);
          session = await signIn(account);
          continue;
        }
        const s: Session = session;
        const items = s.account.items;
        let kind = pickWeighted(MIX, Math.random());
        if (kind.startsWith('item ') && kind !== 'item create' && kind !== 'item list' && items.length === 0)
          kind = 'item create';
        switch (kind) {
          case 'sign-up':
            await signUp(false);
            break;
          case 'SRP sign-in': {
            // Another account nobody else is using (items are per account), else this one again.
            const next = accounts.find((a) => !held.has(a)) ?? s.account;
            held.delete(s.account);
            held.add(next);
            session = await signIn(next);
            break;
          }
          case 'token refresh':
            s.access = await timed(kind, async () => {
              const out = await cognito.send(
                new InitiateAuthCommand({
                  ClientId: client.clientId,
                  AuthFlow: 'REFRESH_TOKEN_AUTH',
                  AuthParameters: { REFRESH_TOKEN: s.refresh },
                }),
              );
              if (!out.AuthenticationResult?.AccessToken) throw new RequestFailed('no access token');
              return out.AuthenticationResult.AccessToken;
            });
            break;
          case 'item create': {
            const body = JSON.stringify({ title: `load item ${randomBytes(4).toString('hex')}` });
            const res = await timed(kind, () => api('/items', s.access, { method: 'POST', body }, 201));
            const item = (await res.json()) as { id: string };
            items.push({ id: item.id, etag: res.headers.get('etag') ?? '' });
            break;
          }
          case 'item read': {
            const it = items[Math.floor(Math.random() * items.length)]!;
            const res = await timed(kind, () => api(`/items/${it.id}`, s.access));
            await res.arrayBuffer();
            break;
          }
          case 'item list':
            await (await timed(kind, () => api('/items?limit=20', s.access))).arrayBuffer();
            break;
          case 'item update': {
            const it = items[Math.floor(Math.random() * items.length)]!;
            const body = JSON.stringify({ done: Math.random() < 0.5 });
            const res = await timed(kind, () =>
              api(`/items/${it.id}`, s.access, { method: 'PATCH', body, headers: { 'if-match': it.etag } }),
            );
            await res.arrayBuffer();
            it.etag = res.headers.get('etag') ?? it.etag;
            break;
          }
          case 'item delete': {
            const it = items.pop()!;
            const res = await timed(kind, () =>
              api(`/items/${it.id}`, s.access, { method: 'DELETE', headers: { 'if-match': it.etag } }, 204),
            );
            await res.arrayBuffer();
            break;
          }
          case 'admin list users':
            await (
              await timed(kind, () => api('/admin/users?limit=20&email=load-', adminSession.access))
            ).arrayBuffer();
            break;
        }
      } catch {
        // Counted by timed(); a virtual user whose session broke starts over with a new account.
        if (!session) await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  const progress = setInterval(() => {
    const s = ((performance.now() - windowStart) / 1000).toFixed(0);
    console.log(`  ${s}/${SECONDS} s: ${rec.total} requests, ${rec.errors} errors`);
  }, 10_000);
  try {
    await Promise.all(Array.from({ length: USERS }, () => virtualUser()));
  } finally {
    clearInterval(progress);
    cognito.destroy();
    await stack.stop();
  }
  const seconds = (performance.now() - windowStart) / 1000;
  const kinds = rec.summarize(
    seconds,
    MIX.map(([k]) => k),
  );
  console.log(
    `\n  ${USERS} virtual users for ${seconds.toFixed(1)} s on loopback (${storage}); ${rec.total} requests, ${rec.errors} errors`,
  );
  console.table(
    kinds.map((k) => ({
      kind: k.kind,
      count: k.count,
      'per s': k.perSecond,
      'p50 ms': k.p50ms,
      'p99 ms': k.p99ms,
      errors: k.errors,
      reasons: Object.entries(k.errorReasons)
        .map(([r, n]) => `${r} x${n}`)
        .join(', '),
    })),
  );
  if (partDied) {
    console.error(`  ${partDied}; its last lines:\n${partLines.join('\n')}`);
  }
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(
    join(here, 'results', 'load.json'),
    `${JSON.stringify(
      {
        when: new Date().toISOString(),
        node: process.version,
        storage,
        virtualUsers: USERS,
        secondsLimit: SECONDS,
        seconds: +seconds.toFixed(1),
        requests: rec.total,
        errors: rec.errors,
        ...(partDied ? { partDied } : {}),
        loadAverage: { before: load1Before, after: loadavg() },
        mix: Object.fromEntries(MIX),
        kinds,
      },
      null,
      2,
    )}\n`,
  );
  console.log('  wrote bench/results/load.json');
  if (partDied) process.exitCode = 1;
}

await main();
