/**
 * `npm start`: the whole system on one machine, on embedded defaults — the local IdP, the API
 * (PGlite + in-process store unless DATABASE_URL / REDIS_URL are set) and the web app — with
 * progress while it starts, one line containing "ready" once every part answers, and a clean
 * stop of everything on Ctrl-C or SIGTERM. If any part dies, or this process's own parent does,
 * everything stops, and no part outlives this process even when it is SIGKILLed.
 * See docs/decisions/0003-local-stack.md and 0080-stack-supervision.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoUsers, loadOrCreateDemoUsers } from './stack/demo-users.ts';
import { onParentGone } from './stack/parent-watch.ts';
import { describeExit, type Part, runStep, startPart, stopAll } from './stack/processes.ts';
import { serveSpa } from './stack/static-server.ts';
import { waitForHttp } from './stack/wait.ts';

// The machine's Node is 20; the AWS SDK's notice about its future Node 22 floor is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return n;
}

const host = '127.0.0.1';
const ports = {
  idp: port('IDP_PORT', 9229),
  api: port('API_PORT', 8000),
  web: port('WEB_PORT', 5173),
  dynamodb: port('DYNAMODB_PORT', 4567),
};
const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'));
const urls = {
  idp: `http://${host}:${ports.idp}`,
  api: `http://${host}:${ports.api}`,
  web: `http://localhost:${ports.web}`,
};

/** The SPA's origins: the built app on WEB_PORT and `npm run -w apps/web dev` (Vite, port 5174). */
const webOrigins = [...new Set([ports.web, 5174])].flatMap((p) => [
  `http://localhost:${p}`,
  `http://${host}:${p}`,
]);

/** Every process started so far, long-running parts and one-off steps alike: all are stopped together. */
const parts: Part[] = [];
let webServer: Server | undefined;
let stopping = false;

/** Thrown into the start-up sequence when a stop began meanwhile, so it starts nothing more. */
class Stopping extends Error {}

function checkNotStopping() {
  if (stopping) throw new Stopping('stopping');
}

/** A long-running part: its death, whenever it happens, stops everything else. */
function startSupervised(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv): Part {
  checkNotStopping();
  const part = startPart(name, entry, args, env);
  parts.push(part);
  void part.exited.then((exit) => {
    if (stopping) return;
    console.error(`[start] ${name} stopped unexpectedly (${describeExit(exit)}); stopping the other parts`);
    void shutdown(1);
  });
  return part;
}

async function runToEnd(name: string, entry: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) {
  checkNotStopping();
  const step = runStep(name, entry, args, env, cwd);
  parts.push(step);
  await step.done;
  checkNotStopping();
}
const totalSteps = 6;

function step(n: number, text: string) {
  console.log(`[start] (${n}/${totalSteps}) ${text}`);
}

interface PoolInfo {
  poolId: string;
  region: string;
  issuer: string;
  jwksUri: string;
  clients: Record<string, { clientId: string; clientSecret?: string }>;
}

function readPoolInfo(idpDir: string): PoolInfo {
  const file = join(idpDir, 'bootstrap.json');
  if (!existsSync(file)) throw new Error(`the IdP did not write ${file}; is its data folder writable?`);
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const pool = (raw.pool ?? raw) as PoolInfo;
  if (!pool.poolId || !pool.clients?.web || !pool.clients?.backend) {
    throw new Error(`${file} lacks the pool id or the web/backend clients`);
  }
  return pool;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function buildWebIfStale(): Promise<string> {
  const web = join(root, 'apps', 'web');
  const dist = join(web, 'dist');
  const built = join(dist, 'index.html');
  const sources = Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) {
    console.log('[start]     web build is up to date');
    return dist;
  }
  console.log('[start]     building the web app (vite build)…');
  // A production build whatever NODE_ENV the caller has: anything else ships React's dev build.
  await runToEnd(
    'vite build',
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    ['build', '--logLevel', 'warn'],
    { NODE_ENV: 'production' },
    web,
  );
  return dist;
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  const idpDir = join(dataDir, 'idp');
  const isAlive = (p: Part) => () => p.child.exitCode === null && p.child.signalCode === null;

  step(1, `identity provider on ${urls.idp} (data in ${idpDir})`);
  const idp = startSupervised(
    'idp',
    join(root, 'apps/idp/src/main.ts'),
    [
      ...['--port', String(ports.idp), '--data-dir', idpDir, '--host', host],
      // Web pages may call the IdP's public operations only from the SPA: the built one and Vite's dev server.
      ...webOrigins.flatMap((origin) => ['--cors-origin', origin]),
      // The pool's Lambda triggers run from functions/ (ADR 0121); DATABASE_URL, when set, reaches them.
      ...['--functions', join(root, 'functions/functions.json')],
    ],
    { APP_URL: urls.web },
  );
  await waitForHttp(`${urls.idp}/health`, { timeoutMs: 60_000, isAlive: isAlive(idp) });
  const pool = readPoolInfo(idpDir);

  step(2, 'demo accounts');
  const demoUsers = loadOrCreateDemoUsers(dataDir);
  await ensureDemoUsers({ url: urls.idp, region: pool.region, poolId: pool.poolId }, demoUsers);

  const backend = pool.clients.backend!;
  const apiEnv: NodeJS.ProcessEnv = {
    NODE_ENV: 'development',
    HOST: host,
    PORT: String(ports.api),
    COGNITO_REGION: pool.region,
    COGNITO_USER_POOL_ID: pool.poolId,
    COGNITO_ISSUER: pool.issuer,
    COGNITO_JWKS_URI: pool.jwksUri,
    COGNITO_CLIENT_IDS: [pool.clients.web!.clientId, backend.clientId].join(','),
    COGNITO_MACHINE_CLIENT_IDS: pool.clients.machine?.clientId ?? '',
    COGNITO_AUTH_CLIENT_ID: backend.clientId,
    COGNITO_AUTH_CLIENT_SECRET: backend.clientSecret ?? '',
    COGNITO_ENDPOINT: urls.idp,
    DATA_DIR: join(dataDir, 'api'),
    WEB_ORIGIN: [`http://localhost:${ports.web}`, `http://${host}:${ports.web}`].join(','),
  };

  if (process.env.ITEMS_STORE === 'dynamodb') Object.assign(apiEnv, await startLocalDynamo());

  step(
    3,
    process.env.DATABASE_URL ? 'database migrations (DATABASE_URL)' : 'database migrations (embedded PGlite)',
  );
  await runToEnd('db:migrate', join(root, 'apps/api/src/cli/migrate.ts'), [], apiEnv);
  const demo = demoUsers[0]!;
  await runToEnd('db:seed', join(root, 'apps/api/src/cli/seed.ts'), ['--email', demo.email], apiEnv);

  step(4, `API on ${urls.api}${process.env.REDIS_URL ? ' (Redis from REDIS_URL)' : ''}`);
  const api = startSupervised('api', join(root, 'apps/api/src/main.ts'), [], apiEnv);
  await waitForHttp(`${urls.api}/health`, { timeoutMs: 60_000, isAlive: isAlive(api) });

  step(5, 'web app');
  const dist = await buildWebIfStale();
  checkNotStopping();
  step(6, `web on ${urls.web}`);
  webServer = await serveSpa({
    root: dist,
    host,
    port: ports.web,
    config: {
      userPoolId: pool.poolId,
      clientId: pool.clients.web!.clientId,
      region: pool.region,
      cognitoEndpoint: urls.idp,
      apiUrl: urls.api,
    },
  });
  webServer.on('error', (err) => {
    if (stopping) return;
    console.error(`[start] web stopped unexpectedly (${err.message}); stopping the other parts`);
    void shutdown(1);
  });
  await waitForHttp(`http://${host}:${ports.web}/healthz`, { timeoutMs: 10_000, isAlive: () => true });
  checkNotStopping();

  console.log('');
  console.log('  Demo accounts (passwords generated for this data folder):');
  for (const u of demoUsers)
    console.log(
      `    ${u.email.padEnd(20)} ${u.password}${u.groups.length ? `  (${u.groups.join(', ')})` : ''}`,
    );
  console.log(`  Dev mailbox: ${urls.idp}/_dev/mailbox    API docs: ${urls.api}/docs`);
  console.log('');
  console.log(
    `[start] ready — web ${urls.web}  api ${urls.api}  idp ${urls.idp}   (Ctrl-C stops everything)`,
  );
}

/**
 * ITEMS_STORE=dynamodb: items go to DynamoDB (ADR 0092). Without DYNAMODB_ENDPOINT that is a local
 * dynalite keeping its data in DATA_DIR/dynamodb; the API creates the table on first start.
 */
async function startLocalDynamo(): Promise<NodeJS.ProcessEnv> {
  const env = { ITEMS_STORE: 'dynamodb', DYNAMODB_TABLE: process.env.DYNAMODB_TABLE || 'items' };
  if (process.env.DYNAMODB_ENDPOINT) return { ...env, DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT };
  const endpoint = `http://${host}:${ports.dynamodb}`;
  console.log(
    `[start]     items in DynamoDB: dynalite on ${endpoint} (data in ${join(dataDir, 'dynamodb')})`,
  );
  const dynamo = startPart(
    'dynamodb',
    join(root, 'node_modules', '.bin', 'dynalite'),
    [
      '--host',
      host,
      '--port',
      String(ports.dynamodb),
      '--path',
      join(dataDir, 'dynamodb'),
      '--createTableMs',
      '0',
    ],
    {},
  );
  parts.push(dynamo);
  // Any HTTP answer (dynalite says 400 to a bare GET) means it is up.
  await waitForHttp(endpoint, {
    timeoutMs: 30_000,
    isAlive: () => dynamo.child.exitCode === null,
    anyStatus: true,
  });
  return { ...env, DYNAMODB_ENDPOINT: endpoint };
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('[start] stopping…');
  await new Promise<void>((r) => {
    if (!webServer) return r();
    webServer.close(() => r());
    webServer.closeAllConnections(); // a browser's kept-alive connections would hold close() open
  });
  await stopAll(parts);
  console.log('[start] stopped');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!stopping) console.log(`[start] ${signal} received; stopping every part`);
    void shutdown(0);
  });
}
// Whoever ran `npm start` (npm, a shell, a process manager) is gone: nobody is left to stop us.
onParentGone(() => {
  console.error('[start] the process that started npm start is gone; stopping every part');
  void shutdown(1);
});
// A bug in this script must not leave the parts running without their supervisor.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    console.error(
      `[start] the start script failed (${err instanceof Error ? err.message : String(err)}); stopping every part`,
    );
    void shutdown(1);
  });
}

main().catch(async (err: unknown) => {
  if (err instanceof Stopping || stopping) return; // the reason for the stop is already printed
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
