/**
 * How long the API takes to refuse a sign-in or a refresh, per account state, with and without the
 * answer floor (ADR 0073): the distributions an attacker timing the API would see. The IdP and the
 * API run in this process on loopback; UPSTREAM_DELAY_MS (default 25) is added before every call
 * the API makes to the IdP, like a network between them. Bounded: ROUNDS (at most 10) per case.
 * A locked account fails at the same step as a disabled one (the first SRP call), so "disabled"
 * stands for both.
 * Run: npx tsx bench/auth-answers.ts   (about a minute; writes bench/results/auth-answers.json)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildApp, loadConfig } from '@app/api';
import { apiEnv, startStack } from '@app/stack';
import {
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

const here = dirname(fileURLToPath(import.meta.url));
// At most 10: the API's per-account login limit is 10 a minute (a limited answer never goes upstream).
const ROUNDS = Math.min(10, Number(process.env.ROUNDS ?? 10));
const UPSTREAM_DELAY_MS = Number(process.env.UPSTREAM_DELAY_MS ?? 25);
const PASSWORD = 'bench password 1234';

const users = ['known', 'disabled'].map((n) => ({ email: `${n}@example.com`, password: PASSWORD }));
// The IdP from packages/stack's startStack(); the API is built below, once per variant.
const stack = await startStack({ idp: { users }, api: false, web: false });
const { idp } = stack;
const { pool } = idp;

/** An SDK client for the API with a fixed delay before each call (the "network"). */
function slowClient() {
  const client = new CognitoIdentityProviderClient({
    region: pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      await delay(UPSTREAM_DELAY_MS);
      return next(args);
    },
    { step: 'initialize', name: 'benchLatency' },
  );
  return client;
}

const config = loadConfig(
  apiEnv(
    stack.idp.poolIds,
    { idpUrl: idp.url },
    { NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: join(stack.dataDir, 'api') },
  ),
);

const admin = slowClient();
await admin.send(new AdminDisableUserCommand({ UserPoolId: pool.poolId, Username: 'disabled@example.com' }));

let ip = 0;
async function timed(app: Awaited<ReturnType<typeof buildApp>>, url: string, payload: object) {
  const start = performance.now();
  // A new client address each time, so the per-IP limits stay out of the measurement.
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    remoteAddress: `10.77.${(++ip >> 8) & 255}.${ip & 255}`,
  });
  return { ms: performance.now() - start, status: res.statusCode };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!);
};

const results: Record<
  string,
  Record<string, { p10: number; p50: number; p90: number; statuses: number[] }>
> = {};
for (const [label, floorMs] of [
  ['no floor', 0],
  ['floor (default)', undefined],
] as const) {
  const cognito = slowClient();
  const app = await buildApp(config, {
    auth: { cognito, ...(floorMs === undefined ? {} : { authOptions: { floor: { ms: floorMs } } }) },
  });
  await app.ready();
  const cases: Record<string, () => object> = {
    'login: unknown': () => ({ email: `ghost${ip}@example.com`, password: 'wrong password 1' }),
    'login: wrong password': () => ({ email: 'known@example.com', password: 'wrong password 1' }),
    'login: disabled': () => ({ email: 'disabled@example.com', password: 'wrong password 1' }),
    'refresh: unknown e-mail': () => ({ refresh_token: 'bogus', email: `ghost${ip}@example.com` }),
    'refresh: known e-mail': () => ({ refresh_token: 'bogus', email: 'known@example.com' }),
  };
  results[label] = {};
  for (const [name, body] of Object.entries(cases)) {
    const url = `/api/v1/auth/${name.startsWith('login') ? 'login' : 'refresh'}`;
    const samples: number[] = [];
    const statuses = new Set<number>();
    for (let i = 0; i < ROUNDS; i++) {
      const { ms, status } = await timed(app, url, body());
      samples.push(ms);
      statuses.add(status);
    }
    results[label]![name] = {
      p10: pct(samples, 10),
      p50: pct(samples, 50),
      p90: pct(samples, 90),
      statuses: [...statuses],
    };
  }
  await app.close();
  cognito.destroy();
}

console.log(
  `upstream delay ${UPSTREAM_DELAY_MS} ms per call, ${ROUNDS} rounds per case (ms: p10 / p50 / p90)`,
);
for (const [label, rows] of Object.entries(results)) {
  console.log(`\n${label}`);
  console.table(
    Object.fromEntries(
      Object.entries(rows).map(([k, v]) => [
        k,
        { p10: v.p10, p50: v.p50, p90: v.p90, status: v.statuses.join(',') },
      ]),
    ),
  );
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', 'auth-answers.json'),
  JSON.stringify({ UPSTREAM_DELAY_MS, ROUNDS, results }, null, 2),
);
admin.destroy();
await stack.stop();
