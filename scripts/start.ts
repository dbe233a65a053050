/**
 * `npm start`: the whole system on one machine, on embedded defaults — the local IdP, the API
 * (PGlite + in-process store unless DATABASE_URL / REDIS_URL are set) and the web app — wired by
 * packages/stack's startStack() with each part as its own process. Progress while it starts, one
 * line containing "ready" once every part answers, a clean stop of everything on Ctrl-C or
 * SIGTERM; if any part dies, or this process's own parent does, everything stops, and no part
 * outlives this process even when it is SIGKILLed. ADRs 0003, 0080, 0100, 0102.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  chooseLogFormat,
  describeExit,
  ensureWebBuild,
  lineFormatter,
  loadOrCreateDemoUsers,
  onParentGone,
  projectFunctionsFile,
  type RunningStack,
  repoRoot,
  runStep,
  startStack,
} from '@app/stack';

// The machine's Node is 20; the AWS SDK's notice about its future Node 22 floor is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const format = chooseLogFormat(process.env.LOG_FORMAT, process.stdout.isTTY === true);
const print = lineFormatter(format, process.stdout.isTTY === true && !process.env.NO_COLOR);
/** Never throws: with whoever reads our output gone (EPIPE), stopping the parts still matters. */
const say = (text: string, stream: 'log' | 'error' = 'log') => {
  try {
    console[stream](print('start', text));
  } catch {}
};
// A reader that went away must not turn into an uncaught exception loop: the parent watch stops us.
for (const out of [process.stdout, process.stderr]) out.on('error', () => {});

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name} must be a port number (1-65535), got "${raw}"`);
  return n;
}

const host = '127.0.0.1';
let stack: RunningStack | undefined;
let startup: Promise<RunningStack> | undefined;
let stopping = false;
/** Aborts a start-up in progress: startStack stops whatever it has started. */
const abort = new AbortController();
/** The web build, if one runs: it is no part of the stack until it is done. */
const pendingStops: (() => Promise<void>)[] = [];

async function main() {
  // Checked before anything else, so a typo is the first and only thing printed.
  const ports = {
    idp: port('IDP_PORT', 9339),
    api: port('API_PORT', 8000),
    web: port('WEB_PORT', 5173),
    dynamodb: port('DYNAMODB_PORT', 4567),
    s3: port('S3_PORT', 4568),
    mockOidc: port('MOCK_OIDC_PORT', 9340),
  };
  const dataDir = resolve(process.env.DATA_DIR || join(repoRoot, '.data'));
  mkdirSync(dataDir, { recursive: true });
  const demoUsers = loadOrCreateDemoUsers(dataDir);
  startup = startStack({
    signal: abort.signal,
    dataDir,
    host,
    ports,
    processes: {
      onLine: (part, line) => {
        try {
          console.log(print(part, line));
        } catch {}
      },
      onStep: say,
      onExit: (part, exit) => {
        if (stopping) return;
        say(`${part} stopped unexpectedly (${describeExit(exit)}); stopping the other parts`, 'error');
        void shutdown(1);
      },
    },
    idp: {
      users: demoUsers,
      // Vite's dev server (`npm run -w apps/web dev`, port 5174) may call the IdP too.
      corsOrigins: ['http://localhost:5174', `http://${host}:5174`],
      // The pool's Lambda triggers run from functions/ (ADR 0121); DATABASE_URL, when set, reaches them.
      functions: projectFunctionsFile,
      // "Sign in with MockGoogle": the mock OIDC provider plays Google without internet (ADR 0160).
      mockOidc: true,
    },
    api: {
      seedEmail: demoUsers[0]!.email,
      settings: {
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
        ...(process.env.ITEMS_STORE ? { ITEMS_STORE: process.env.ITEMS_STORE } : {}),
        ...(process.env.DYNAMODB_TABLE ? { DYNAMODB_TABLE: process.env.DYNAMODB_TABLE } : {}),
        ...(process.env.DYNAMODB_ENDPOINT ? { DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT } : {}),
      },
    },
    // The build runs tied to this process (ADR 0080), while the IdP and the API start.
    web: {
      root: ensureWebBuild(async (vite, args, cwd) => {
        say('building the web app (vite build)…');
        const build = runStep('vite build', vite, args, { NODE_ENV: 'production' }, cwd);
        pendingStops.push(async () => {
          build.child.kill('SIGTERM');
          await build.exited;
        });
        await build.done;
      }),
    },
  });
  stack = await startup;
  if (stopping) return;
  const { idp, api, web } = stack;

  console.log('');
  console.log('  Demo accounts (passwords generated for this data folder):');
  for (const u of demoUsers)
    console.log(
      `    ${u.email.padEnd(20)} ${u.password}${u.groups.length ? `  (${u.groups.join(', ')})` : ''}`,
    );
  console.log(`  Dev mailbox: ${idp.url}/_dev/mailbox    API docs: ${api?.url}/docs`);
  console.log('');
  // Since this process started (performance.now() counts from there), Node's own start included.
  const seconds = (performance.now() / 1000).toFixed(1);
  say(`ready in ${seconds} s — web ${web?.url}  api ${api?.url}  idp ${idp.url}   (Ctrl-C stops everything)`);
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  abort.abort();
  say('stopping…');
  for (const stop of pendingStops) await stop().catch(() => {});
  await startup?.catch(() => {});
  await stack?.stop();
  say('stopped');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!stopping) say(`${signal} received; stopping every part`);
    void shutdown(0);
  });
}
// Whoever ran `npm start` (npm, a shell, a process manager) is gone: nobody is left to stop us.
onParentGone(() => {
  say('the process that started npm start is gone; stopping every part', 'error');
  void shutdown(1);
});
// A bug in this script must not leave the parts running without their supervisor.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    say(
      `the start script failed (${err instanceof Error ? err.message : String(err)}); stopping every part`,
      'error',
    );
    void shutdown(1);
  });
}

main().catch(async (err: unknown) => {
  if (stopping) return; // the reason for the stop is already printed
  say(err instanceof Error ? err.message : String(err), 'error');
  await shutdown(1);
});
