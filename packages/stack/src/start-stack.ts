/**
 * `startStack()`: the one place that starts and wires the parts — IdP → the API's environment →
 * the API → the SPA's config.json → the static server with the production CSP. `npm start` runs it
 * with each part as its own process; the browser tests, the API's auth-flow tests, the web app's
 * IdP tests and the benchmarks run it in-process on random ports. ADR 0100.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppConfig, AppOverrides } from '@app/api';
import type { PoolInfo, RunningIdp, SeedUser } from '@app/idp';
import type { FastifyInstance } from 'fastify';
import { startDynalite } from './parts/dynamo.ts';
import { spawnApi, spawnIdp } from './parts/processes.ts';
import { spawnLocalS3, startLocalS3 } from './parts/s3.ts';
import { assertPortsFree, freePort } from './ports.ts';
import type { DemoUser, PoolUser } from './run/demo-users.ts';
import { type Exit, isRunning, type Part, stopAll } from './run/processes.ts';
import { type RunningSpa, serveSpa } from './static-server/server.ts';
import { repoRoot } from './web-build.ts';
import { type ApiEnv, apiEnv } from './wiring/api-env.ts';
import { functionsEnv } from './wiring/functions-env.ts';
import { type PoolIds, poolIdsFromBootstrap } from './wiring/pool.ts';
import { hostedUiAppUrls, type RuntimeConfig, webConfig } from './wiring/web-config.ts';

/** The pool's own triggers as `npm start` runs them (ADR 0121); infra's test checks CDK bundles these. */
export const projectFunctionsFile = join(repoRoot, 'functions', 'functions.json');

export interface StackOptions {
  /** Everything local (IdP state, PGlite, dynalite). Default: a temporary folder stop() removes. */
  dataDir?: string;
  host?: string;
  /** Fixed ports (checked free before anything starts); 0 or absent: any free port. */
  ports?: { idp?: number; api?: number; web?: number; dynamodb?: number; s3?: number; mockOidc?: number };
  /** Each part as its own process (npm start); absent: every part in this process. */
  processes?: {
    /** Every line a part prints, by part name. */
    onLine(part: string, line: string): void;
    /** A part ended while the stack was running (not during stop()). */
    onExit(part: string, exit: Exit): void;
    /** Progress of the start-up, one line per step. */
    onStep?(text: string): void;
  };
  idp?: {
    /** Accounts to create: in-process through the IdP's seed, with processes through the AWS SDK. */
    users?: (SeedUser | DemoUser)[];
    /** More origins whose pages may call the IdP (the SPA's own is always allowed). */
    corsOrigins?: string[];
    tokenValiditySeconds?: { access?: number; id?: number };
    clock?: () => number;
    /**
     * Processes only: the pool's Lambda triggers (`--functions`, ADR 0121); they get the SPA's URL
     * as APP_URL and DATABASE_URL from the API's settings.
     */
    functions?: string;
    /**
     * Start the mock OIDC provider beside the IdP (on `ports.mockOidc`) and offer it as the pool's
     * "Sign in with …" provider (ADR 0160, 0162).
     */
    mockOidc?: boolean;
  };
  /** The API; false: none (IdP-only stacks). */
  api?:
    | false
    | {
        /** Settings over the stack's defaults (NODE_ENV, DATABASE_URL, REDIS_URL, LOG_LEVEL, …). */
        settings?: ApiEnv;
        /** In-process only: the app's overrides (a test's database, store, logger, SDK client). */
        overrides?: (ctx: {
          idp: { url: string; pool: PoolInfo };
          config: AppConfig;
        }) => AppOverrides | Promise<AppOverrides>;
        /** In-process only: false builds the app without listening (tests that inject). */
        listen?: boolean;
        /** Seed demo items for this account (one of idp.users). */
        seedEmail?: string;
      };
  /** The SPA; false: none. root: the build to serve (default: the current sources' build). */
  web?: false | { root: string | Promise<string> };
  /** Aborting stops whatever has started; startStack() then rejects. */
  signal?: AbortSignal;
}

export interface RunningStack {
  dataDir: string;
  idp: { url: string; pool: PoolInfo; poolIds: PoolIds /** in-process only */; running?: RunningIdp };
  api?: { url?: string; env: ApiEnv /** in-process only */; app?: FastifyInstance };
  web?: { url: string; config: RuntimeConfig };
  /** Stops every part, newest first; removes the data folder if the stack made it. */
  stop(): Promise<void>;
}

/** The SPA's origins for a web port: as typed (localhost) and as served (127.0.0.1). */
export function webOrigins(host: string, port: number): string[] {
  return [...new Set([`http://localhost:${port}`, `http://${host}:${port}`])];
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const host = options.host ?? '127.0.0.1';
  const ports = { idp: 0, api: 0, web: 0, dynamodb: 0, s3: 0, mockOidc: 0, ...options.ports };
  const mockOidc = options.idp?.mockOidc === true;
  const procs = options.processes;
  const apiOpts = options.api === false ? undefined : (options.api ?? {});
  const webOpts = options.web === false ? undefined : (options.web ?? { root: defaultWebRoot() });
  const settings = apiOpts?.settings ?? {};
  const dynalite = procs && settings.ITEMS_STORE === 'dynamodb' && !settings.DYNAMODB_ENDPOINT;
  // Attachments need a bucket: a local s3rver unless the settings name one (ADR 0170).
  const localS3 = apiOpts !== undefined && !settings.ATTACHMENTS_BUCKET;
  await assertPortsFree(
    {
      IDP_PORT: ports.idp,
      ...(apiOpts ? { API_PORT: ports.api } : {}),
      ...(webOpts ? { WEB_PORT: ports.web } : {}),
      ...(dynalite ? { DYNAMODB_PORT: ports.dynamodb } : {}),
      ...(localS3 && procs ? { S3_PORT: ports.s3 } : {}),
      ...(mockOidc ? { MOCK_OIDC_PORT: ports.mockOidc } : {}),
    },
    host,
  );

  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ? resolve(options.dataDir) : await mkdtemp(join(tmpdir(), 'stack-'));
  mkdirSync(dataDir, { recursive: true });
  const parts: Part[] = [];
  const closers: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const close of closers.splice(0).reverse()) await close().catch(() => {});
      await stopAll(parts);
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    })();
    return stopping;
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  const supervise = (part: Part) => {
    if (stopping) part.child.kill('SIGTERM');
    parts.push(part);
    void part.exited.then((exit) => {
      if (!stopping) procs?.onExit(part.name, exit);
    });
    return part;
  };
  const step = (text: string) => procs?.onStep?.(text);
  const line = (part: string) => (text: string) => procs?.onLine(part, text);

  try {
    // The SPA's origin must be known before the IdP starts: its pages may call the IdP only from there.
    let site: RunningSpa | undefined;
    let siteStarting: Promise<RunningSpa> | undefined;
    if (webOpts) {
      const listenSite = async () => {
        const spa = await serveSpa({ root: await webOpts.root, host, port: ports.web });
        closers.push(() => spa.close());
        spa.server.on('error', (err) => {
          if (!stopping) procs?.onExit('web', { code: 1, signal: null, reason: err.message });
        });
        return spa;
      };
      if (ports.web === 0) site = await listenSite();
      else siteStarting = listenSite(); // fixed port: build and listen while the IdP starts
      siteStarting?.catch(() => {});
    }
    const origins = webOpts ? webOrigins(host, site ? Number(new URL(site.url).port) : ports.web) : [];
    const corsOrigins = [...origins, ...(options.idp?.corsOrigins ?? [])];
    // The SPA's callback and sign-out URLs on its origins, for the hosted-page sign-in (ADR 0140).
    const appUrls = hostedUiAppUrls(origins);

    // The API's process opens its database and migrates while the IdP starts (ADR 0101).
    const baseEnv: ApiEnv = {
      NODE_ENV: procs ? 'development' : 'test',
      ...(procs ? {} : { LOG_LEVEL: 'silent' }),
      DATA_DIR: join(dataDir, 'api'),
      ...settings,
    };
    const apiProcess = apiOpts && procs ? spawnApi({ baseEnv, onLine: line('api') }) : undefined;
    if (apiProcess) supervise(apiProcess.part);
    let dynamo: ReturnType<typeof startDynalite> | undefined;
    if (dynalite) {
      step(
        `items in DynamoDB: dynalite on http://${host}:${ports.dynamodb} (data in ${join(dataDir, 'dynamodb')})`,
      );
      dynamo = startDynalite({
        host,
        port: ports.dynamodb,
        dataDir: join(dataDir, 'dynamodb'),
        onLine: line('dynamodb'),
      });
      supervise(dynamo.part);
    }

    let s3: { env: ApiEnv; ready: Promise<void> } | undefined;
    if (localS3) {
      const dir = join(dataDir, 's3');
      if (procs) {
        step(`attachments: s3rver on http://${host}:${ports.s3} (files in ${dir})`);
        const spawned = spawnLocalS3({ host, port: ports.s3, dir, corsOrigins, onLine: line('s3') });
        supervise(spawned.part);
        s3 = spawned;
      } else {
        const started = await startLocalS3({ host, port: ports.s3, dir, corsOrigins });
        closers.push(() => started.stop());
        s3 = { env: started.env, ready: Promise.resolve() };
      }
    }

    // The pool's own triggers (processes only, ADR 0121). With the embedded PGlite only the API's
    // process can open the database: PostConfirmation writes the row through the API (ADR 0155), at a
    // URL known before the API starts and with a key made for this start.
    const functions = procs ? options.idp?.functions : undefined;
    let provisioningToken: string | undefined;
    if (functions && apiOpts && !settings.DATABASE_URL) {
      provisioningToken = randomBytes(32).toString('base64url');
      if (ports.api === 0) ports.api = await freePort(host);
    }
    step(`identity provider on http://${host}:${ports.idp} (data in ${join(dataDir, 'idp')})`);
    let idp: { url: string; pool: PoolInfo; running?: RunningIdp };
    const users = options.idp?.users ?? [];
    if (procs) {
      const spawned = spawnIdp({
        host,
        port: ports.idp,
        dataDir: join(dataDir, 'idp'),
        corsOrigins,
        appUrls,
        ...(functions
          ? {
              functions,
              env: functionsEnv({
                appUrl: origins[0],
                databaseUrl: settings.DATABASE_URL,
                provisioning: provisioningToken
                  ? { url: `http://${host}:${ports.api}/_internal/users`, token: provisioningToken }
                  : undefined,
              }),
            }
          : {}),
        ...(mockOidc ? { mockOidcPort: ports.mockOidc } : {}),
        onLine: line('idp'),
      });
      supervise(spawned.part);
      idp = await spawned.ready;
    } else {
      // Imported only here: `npm start` never loads the parts' code into its own process.
      const { startIdpHere } = await import('./parts/in-process.ts');
      const running = await startIdpHere({
        dataDir: join(dataDir, 'idp'),
        port: ports.idp,
        host,
        corsOrigins,
        appUrls,
        users: users as SeedUser[],
        ...(mockOidc ? { mockOidc: { port: ports.mockOidc } } : {}),
        ...(options.idp?.tokenValiditySeconds
          ? { tokenValiditySeconds: options.idp.tokenValiditySeconds }
          : {}),
        ...(options.idp?.clock ? { clock: options.idp.clock } : {}),
      });
      closers.push(() => running.stop());
      idp = { url: running.url, pool: running.pool, running };
    }
    const poolIds = poolIdsFromBootstrap(idp.pool);
    const result: RunningStack = { dataDir, idp: { ...idp, poolIds }, stop };

    // The demo accounts are made (SRP verifiers: CPU) while the API builds its app.
    let accounts: Promise<PoolUser[]> | undefined;
    if (procs && users.length > 0) {
      step('demo accounts');
      accounts = import('./run/demo-users.ts').then(({ ensureDemoUsers }) =>
        ensureDemoUsers(
          { url: idp.url, region: idp.pool.region, poolId: idp.pool.poolId },
          users.map((u) => ({ name: u.email, groups: [], ...u }) as DemoUser),
        ),
      );
    }
    accounts?.catch(() => {}); // awaited below; a failure must not count as unhandled meanwhile

    if (apiOpts) {
      const dynamoEnv: ApiEnv = dynamo
        ? {
            ITEMS_STORE: 'dynamodb',
            DYNAMODB_TABLE: settings.DYNAMODB_TABLE || 'items',
            DYNAMODB_ENDPOINT: dynamo.endpoint,
          }
        : {};
      const env = apiEnv(
        poolIds,
        { idpUrl: idp.url, webOrigins: origins, host, port: ports.api, provisioningToken },
        { ...baseEnv, ...dynamoEnv, ...s3?.env },
      );
      if (dynamo) await dynamo.ready;
      if (s3) await s3.ready;
      if (apiProcess) {
        const { applied, kind } = await apiProcess.migrated;
        step(
          `database: ${kind === 'pglite' ? 'embedded PGlite' : 'DATABASE_URL'}, ${applied.length} migration(s) applied`,
        );
        step(`API on http://${host}:${ports.api}${settings.REDIS_URL ? ' (Redis from REDIS_URL)' : ''}`);
        const url = await apiProcess.start(env);
        const seed = (await accounts)?.find((u) => u.email === apiOpts.seedEmail);
        if (seed) await apiProcess.seed(seed);
        result.api = { url, env };
      } else {
        const { startApiHere } = await import('./parts/in-process.ts');
        const { app, url } = await startApiHere(
          env,
          (config) => apiOpts.overrides?.({ idp, config }) ?? {},
          apiOpts.listen === false ? false : { host, port: ports.api },
        );
        closers.push(() => app.close());
        result.api = { env, app, ...(url ? { url } : {}) };
      }
    }

    await accounts;

    if (webOpts) {
      if (!site) {
        step(`web on http://localhost:${ports.web}`);
        site = await siteStarting!;
      }
      const config = webConfig(poolIds, {
        apiUrl: result.api?.url ?? '',
        idpUrl: idp.url,
        ...(s3 ? { filesUrl: s3.env.S3_ENDPOINT } : {}),
        hostedUi: { url: idp.url, webUrls: origins, identityProviders: idp.pool.federation?.providers ?? [] },
      });
      site.setConfig(config);
      result.web = { url: procs ? `http://localhost:${ports.web}` : site.url, config };
    }
    for (const p of parts)
      if (!isRunning(p.child)) throw new Error(`${p.name} stopped while the stack started`);
    if (stopping) throw new Error('stopped while starting');
    return result;
  } catch (err) {
    await stop();
    throw err;
  }
}

let defaultRoot: Promise<string> | undefined;
function defaultWebRoot(): Promise<string> {
  // Imported lazily: only stacks that serve the SPA need a build.
  defaultRoot ??= import('./web-build.ts').then((m) => m.ensureWebBuild());
  return defaultRoot;
}
