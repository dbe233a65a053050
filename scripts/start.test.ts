/**
 * `npm start` as a newcomer runs it (the real `npm start`, through npm): from an empty data folder
 * to one "ready" line, every part answering, a demo account that can sign in, and a clean stop on
 * Ctrl-C (SIGINT) — on the embedded defaults, with DATABASE_URL / REDIS_URL pointing at the
 * machine's real servers, and with ITEMS_STORE=dynamodb (a dynalite part, driven by the CLI). Then supervision (ADR 0080): whichever process dies — a part, the start
 * process (even by SIGKILL), or npm on a lone SIGTERM — every process below npm ends and every port
 * is free again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgliteDb } from '@app/api/db';
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../packages/cli/test/run-cli.ts';
import { freePort } from '../packages/stack/src/ports.ts';
import { descendants, isGone, type Proc } from '../packages/stack/src/run/proc-tree.ts';
import { rawRequest } from '../packages/stack/test/static-server-attacks.ts';

const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** Polls `check` until it holds; fails with `what` after `timeoutMs` (a bound, not a measurement). */
async function eventually(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Stack {
  /** The `npm start` process. */
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: string[];
  ports: { idp: number; api: number; web: number; s3: number; mockOidc: number; dynamodb?: number };
  dataDir: string;
  ready: string;
  /** Every process below npm once the stack was ready: the start process, the parts, their helpers. */
  procs: Proc[];
}

const running: Stack[] = [];
afterEach(() => {
  for (const s of running.splice(0)) {
    // Whatever a failed test left behind, leave nothing running.
    // (npm's pid is only looked up while npm runs: once reaped, the pid may name someone else's process.)
    const npmRuns = s.child.exitCode === null && s.child.signalCode === null;
    for (const p of [...s.procs, ...(npmRuns ? descendants(s.child.pid!) : [])])
      if (!isGone(p)) process.kill(p.pid, 'SIGKILL');
    if (npmRuns) s.child.kill('SIGKILL');
    rmSync(s.dataDir, { recursive: true, force: true });
  }
});

/** Every process that was below npm has exited and every port of the stack accepts a new listener. */
async function expectNothingLeft(stack: Stack, timeoutMs: number) {
  await eventually('every process below npm has exited', timeoutMs, () => stack.procs.every(isGone));
  for (const port of Object.values(stack.ports))
    await eventually(`port ${port} is free`, timeoutMs, () => portIsFree(port));
}

function findProc(stack: Stack, pattern: RegExp): Proc {
  // The deepest match is the process doing the work (not a wrapper around it).
  const matches = stack.procs.filter((p) => pattern.test(p.cmd));
  const proc = matches.at(-1);
  if (!proc) throw new Error(`no process matching ${pattern} below npm`);
  return proc;
}

/** `npm start` with `env`; `again` restarts on an earlier start's data folder and ports. */
async function startStack(
  env: Record<string, string>,
  again?: Pick<Stack, 'dataDir' | 'ports'>,
): Promise<Stack> {
  const dataDir = again?.dataDir ?? mkdtempSync(join(tmpdir(), 'stack-'));
  const ports = again?.ports ?? {
    idp: await freePort(),
    api: await freePort(),
    web: await freePort(),
    s3: await freePort(),
    mockOidc: await freePort(),
    ...(env.ITEMS_STORE === 'dynamodb' ? { dynamodb: await freePort() } : {}),
  };
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      npm_config_update_notifier: 'false',
      DATA_DIR: dataDir,
      IDP_PORT: String(ports.idp),
      API_PORT: String(ports.api),
      WEB_PORT: String(ports.web),
      S3_PORT: String(ports.s3),
      MOCK_OIDC_PORT: String(ports.mockOidc),
      ...(ports.dynamodb ? { DYNAMODB_PORT: String(ports.dynamodb) } : {}),
      // What a terminal shows (stdout is a pipe here, which would pick JSON lines).
      LOG_FORMAT: 'pretty',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const stack: Stack = { child, exited, output, ports, dataDir, ready: '', procs: [] };
  running.push(stack);
  stack.ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "ready" line in time:\n${output.join('')}`)),
      200_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const line = output
        .join('')
        .split('\n')
        .find((l) => /\bready\b/.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before "ready":\n${output.join('')}`));
    });
  });
  stack.procs = descendants(child.pid!);
  return stack;
}

async function stopWithSigint(stack: Stack) {
  stack.child.kill('SIGINT');
  expect((await stack.exited).code).toBe(0);
  for (const p of Object.values(stack.ports)) {
    await expect(fetch(`http://127.0.0.1:${p}/health`)).rejects.toThrow();
  }
  await expectNothingLeft(stack, 15_000);
}

/** Signs in through the API's backend endpoint with the demo password the stack printed. */
async function loginAsDemo(stack: Stack) {
  const printed = /demo@example\.com\s+(\S+)/.exec(stack.output.join(''));
  expect(printed, 'demo credentials are printed').not.toBeNull();
  const res = await fetch(`http://127.0.0.1:${stack.ports.api}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'demo@example.com', password: printed![1] }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string };
}

/**
 * A newcomer signs up through the IdP (AWS SDK) and confirms with the mailed code. The pool's own
 * triggers run (ADR 0121): the mail is the branded one. Returns the new user's sub.
 */
async function signUpAndConfirm(stack: Stack) {
  const web = `http://127.0.0.1:${stack.ports.web}`;
  const idp = `http://127.0.0.1:${stack.ports.idp}`;
  const config = (await (await fetch(`${web}/config.json`)).json()) as Record<string, string>;
  const cognito = new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: idp,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const email = `newcomer.${process.pid}.${Date.now()}@example.com`;
    const { UserSub } = await cognito.send(
      new SignUpCommand({ ClientId: config.clientId, Username: email, Password: 'Newc0mer-Passw0rd!' }),
    );
    const box = await fetch(`${idp}/_dev/mailbox?to=${encodeURIComponent(email)}`);
    const [mail] = ((await box.json()) as { messages: { subject: string; html?: string; code: string }[] })
      .messages;
    expect(mail?.subject).toMatch(/^Confirm your .+ account$/);
    expect(mail?.html).toContain(mail?.code);
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: config.clientId, Username: email, ConfirmationCode: mail!.code }),
    );
    return UserSub!;
  } finally {
    cognito.destroy();
  }
}

const syncedRow = 'select count(*)::int as n from users where sub = $1 and synced_at is not null';

describe('npm start', () => {
  it('reaches ready on embedded defaults with every part answering, and stops cleanly on SIGINT', async () => {
    const stack = await startStack({ DATABASE_URL: '', REDIS_URL: '' });
    const { ports } = stack;
    expect(stack.ready).toContain(`http://localhost:${ports.web}`);
    expect(stack.ready).toContain(`http://127.0.0.1:${ports.api}`);
    expect(stack.ready).toContain(`http://127.0.0.1:${ports.idp}`);

    expect((await fetch(`http://127.0.0.1:${ports.idp}/health`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${ports.api}/ready`);
    expect(ready.status).toBe(200);
    const config = (await (await fetch(`http://127.0.0.1:${ports.web}/config.json`)).json()) as Record<
      string,
      string
    > & { hostedUi: { url: string; redirectSignIn: string[]; identityProviders: string[] } };
    expect(config.apiUrl).toBe(`http://127.0.0.1:${ports.api}`);
    expect(config.cognitoEndpoint).toBe(`http://127.0.0.1:${ports.idp}`);
    // "Sign in with the hosted page": the IdP process was given the SPA's callback URL (--callback-url).
    const callback = `http://localhost:${ports.web}/auth/callback`;
    expect(config.hostedUi.redirectSignIn).toContain(callback);
    const authorize = await fetch(
      `${config.hostedUi.url}/oauth2/authorize?${new URLSearchParams({ client_id: config.clientId!, response_type: 'code', redirect_uri: callback })}`,
      { redirect: 'manual' },
    );
    expect(authorize.headers.get('location')).toMatch(/^\/login\?/);
    // "Sign in with MockGoogle" (ADR 0160): the SPA is told to offer it, and the IdP sends the
    // browser to the mock provider that npm start runs beside it.
    expect(config.hostedUi.identityProviders).toEqual(['MockGoogle']);
    const social = await fetch(
      `${config.hostedUi.url}/oauth2/authorize?${new URLSearchParams({ client_id: config.clientId!, response_type: 'code', redirect_uri: callback, identity_provider: 'MockGoogle' })}`,
      { redirect: 'manual' },
    );
    expect(social.headers.get('location')).toMatch(
      new RegExp(`^http://(127\\.0\\.0\\.1|localhost):${ports.mockOidc}/`),
    );
    const page = await fetch(`http://127.0.0.1:${ports.web}/items/some-client-route`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    // A malformed path once took down the web server, and with it the whole stack (issue 8, item 15).
    const bad = await rawRequest(`http://127.0.0.1:${ports.web}`, 'GET', '/%E0%A4%A');
    expect(bad.status).toBe(400);
    expect(bad.body).not.toContain('%E0');
    expect((await fetch(`http://127.0.0.1:${ports.web}/health`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${ports.idp}/health`)).status).toBe(200);
    expect(
      stack.procs.every((p) => !isGone(p)),
      'no process of the stack ended',
    ).toBe(true);

    // The printed demo account signs in and finds its seeded items (PGlite in DATA_DIR).
    const { access_token } = await loginAsDemo(stack);
    const items = await fetch(`http://127.0.0.1:${ports.api}/api/v1/items`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const { items: seeded } = (await items.json()) as { items: { id: string }[] };
    expect(seeded.length).toBeGreaterThan(0);
    // Attachments go to the local S3 server npm start runs (ADR 0170): sign, PUT there, record.
    const api = (path: string, body: object) =>
      fetch(`http://127.0.0.1:${ports.api}/api/v1/items/${seeded[0]!.id}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const file = { name: 'note.txt', content_type: 'text/plain', size: 5 };
    const upload = (await (await api('/attachments/uploads', file)).json()) as {
      upload_id: string;
      url: string;
    };
    expect(new URL(upload.url).port).toBe(String(ports.s3));
    const put = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(put.status).toBe(200);
    expect((await api('/attachments', { upload_id: upload.upload_id, ...file })).status).toBe(201);
    // Passwords are generated per data folder and kept private to its owner.
    expect(readFileSync(join(stack.dataDir, 'demo-users.json'), 'utf8')).toContain('demo@example.com');
    expect(stack.output.join('')).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./); // no token ever printed

    // A newcomer's row exists right after confirmation, though only the API's process can open
    // PGlite: PostConfirmation wrote it through the API (ADR 0155). Checked once the stack is
    // stopped, without the newcomer ever calling the API (which would create the row itself).
    const sub = await signUpAndConfirm(stack);
    await stopWithSigint(stack);
    const db = await createPgliteDb(join(stack.dataDir, 'api'));
    try {
      expect((await db.query<{ n: number }>(syncedRow, [sub])).rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('uses real Postgres and Redis when DATABASE_URL and REDIS_URL are set', async () => {
    const database = `stack_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    const url = new URL(ADMIN_DATABASE_URL);
    url.pathname = `/${database}`;
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      const stack = await startStack({ DATABASE_URL: url.toString(), REDIS_URL: 'redis://127.0.0.1:6379' });
      expect(stack.output.join('')).toContain('database: DATABASE_URL');

      // Migrations and the seed went to the real database.
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const seeded = await db.query<{ n: string }>('select count(*) as n from items');
      expect(Number(seeded.rows[0]!.n)).toBeGreaterThan(0);
      // PostConfirmation writes a newcomer's row straight into the real database (ADR 0122).
      const sub = await signUpAndConfirm(stack);
      expect((await db.query<{ n: number }>(syncedRow, [sub])).rows[0]?.n).toBe(1);
      await db.end();

      // A sign-in through the API counts against rate limits kept in the real Redis.
      const counters = async () => {
        const keys = await redis.keys('api:rl:login:*');
        const values = keys.length > 0 ? await redis.mget(keys) : [];
        return new Map(keys.map((k, i) => [k, Number(values[i] ?? 0)]));
      };
      const before = await counters();
      await loginAsDemo(stack);
      const after = await counters();
      const counted = [...after].filter(([k, n]) => n > (before.get(k) ?? 0));
      expect(counted.length, 'a login counter moved in Redis').toBeGreaterThan(0);

      await stopWithSigint(stack);
    } finally {
      redis.disconnect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    }
  });
  it('ITEMS_STORE=dynamodb: a dynalite part keeps the items in DATA_DIR/dynamodb across restarts, and the CLI works against it', async () => {
    const env = { DATABASE_URL: '', REDIS_URL: '', ITEMS_STORE: 'dynamodb' };
    const stack = await startStack(env);
    const { ports } = stack;
    const api = `http://127.0.0.1:${ports.api}`;
    expect(stack.output.join('')).toContain(
      `[start] items in DynamoDB: dynalite on http://127.0.0.1:${ports.dynamodb} (data in ${join(stack.dataDir, 'dynamodb')})`,
    );
    const ready = (await (await fetch(`${api}/ready`)).json()) as { checks: Record<string, string> };
    expect(ready.checks.items).toBe('ok');

    // The command-line client, as the README shows it, against this npm start.
    const configDir = mkdtempSync(join(tmpdir(), 'cli-dynamo-'));
    const cli = (args: string[], stdin?: string) =>
      runCli([...args, '--json'], { configDir, ...(stdin ? { stdin } : {}) });
    try {
      const password = /demo@example\.com\s+(\S+)/.exec(stack.output.join(''))![1]!;
      const login = await cli(['login', '--api', api, '--email', 'demo@example.com'], `${password}\n`);
      expect(login.code, login.stderr).toBe(0);
      const { sub } = login.json<{ sub: string }>();
      const seeded = (await cli(['items', 'list'])).json<{ total: number }>().total;
      expect(seeded).toBeGreaterThan(0);
      const added = await cli(['items', 'add', 'kept in dynalite']);
      expect(added.code, added.stderr).toBe(0);
      const { id } = added.json<{ id: string }>();

      // The items are in dynalite's table, in the owner's partition (ADR 0090), not in PGlite.
      const dynamo = new DynamoDBClient({
        region: 'us-east-1',
        endpoint: `http://127.0.0.1:${ports.dynamodb}`,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      try {
        const { Items } = await dynamo.send(
          new QueryCommand({
            TableName: 'items',
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': { S: `USER#${sub}` } },
          }),
        );
        const keys = (Items ?? []).map((i) => i.SK?.S);
        expect(keys).toContain(`ITEM#${id}`);
        expect(keys).toHaveLength(seeded + 1);
      } finally {
        dynamo.destroy();
      }
      await stopWithSigint(stack);
      const db = await createPgliteDb(join(stack.dataDir, 'api'));
      try {
        expect((await db.query<{ n: number }>('select count(*)::int as n from items')).rows[0]?.n).toBe(0);
      } finally {
        await db.close();
      }

      // Started again on the same data: the item is still there, and the seed added nothing twice.
      const restarted = await startStack(env, stack);
      const listed = await cli(['items', 'list', '--limit', '100']);
      expect(listed.code, listed.stderr).toBe(0);
      const page = listed.json<{ total: number; items: { id: string }[] }>();
      expect(page.items.map((i) => i.id)).toContain(id);
      expect(page.total).toBe(seeded + 1);
      await stopWithSigint(restarted);
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
  }, 480_000);
});

describe('npm start supervision: nothing outlives the stack', () => {
  it('stops every part and exits, naming the part, when one part dies', async () => {
    const stack = await startStack({ DATABASE_URL: '', REDIS_URL: '' });
    process.kill(findProc(stack, /apps\/idp\/src\/main\.ts/).pid, 'SIGKILL');

    await expectNothingLeft(stack, 20_000);
    expect((await stack.exited).code).not.toBe(0);
    expect(stack.output.join('')).toMatch(/\[start\] idp stopped unexpectedly \(killed by SIGKILL\)/);
  });

  it('stops every part on a SIGTERM sent to npm alone, as a process manager sends it', async () => {
    const stack = await startStack({ DATABASE_URL: '', REDIS_URL: '' });
    process.kill(stack.child.pid!, 'SIGTERM'); // one process, not the group: no part sees this signal

    await expectNothingLeft(stack, 20_000);
    expect(stack.output.join('')).toContain('[start] SIGTERM received; stopping every part');
    expect(stack.output.join('')).toContain('[start] stopped');
  });

  it('the parts exit on their own within seconds when the start process is SIGKILLed', async () => {
    const stack = await startStack({ DATABASE_URL: '', REDIS_URL: '' });
    const start = findProc(stack, /scripts\/start\.ts/);
    process.kill(start.pid, 'SIGKILL'); // no handler runs: the parts must notice by themselves

    // 5 s is the parts' own deadline after they notice (packages/stack/src/run/tether.ts); the rest is slack.
    await expectNothingLeft(stack, 15_000);
  });
});
