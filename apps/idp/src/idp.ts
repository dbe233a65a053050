import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { definition as defaultDefinition, type UserPoolDefinition } from '@app/pool-definition';
import {
  addMissingDefinitionClients,
  bootstrapPool,
  type PoolInfo,
  poolInfo,
  type SeedUser,
  seedUsers,
  writeBootstrapFile,
} from './bootstrap.ts';
import { type AppUrls, addAppUrls } from './bootstrap-oauth.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Ctx, Logger, WorkObserver } from './context.ts';
import { type LocalProviderOptions, startLocalProvider } from './federation/local-provider.ts';
import { BrowserSessions } from './login/sessions.ts';
import { AuthorizationCodes } from './oauth/codes.ts';
import { checkBind, makeExposure } from './protocol/exposure.ts';
import { createIdpServer } from './server.ts';
import { Store } from './store/store.ts';
import { listenTls, type TlsListener, type TlsOptions } from './tls-listener.ts';
import { pruneSessions, rebuildRefreshIndex } from './tokens/issue.ts';
import { loadOrCreateKeys } from './tokens/keys.ts';
import { attachDefinitionTriggers } from './triggers/bootstrap.ts';
import { InvocationLog } from './triggers/log.ts';
import { preloadModules } from './triggers/runners.ts';
import { type FunctionMap, type FunctionTarget, normaliseFunctionMap } from './triggers/targets.ts';
import { ChallengeStore } from './users/challenges.ts';
import { SrpWorkers } from './users/srp-workers.ts';

/** When the triggers' modules are imported after a start: past the rest of `npm start`'s start. */
const PRELOAD_AFTER_MS = 10_000;

export interface StartIdpOptions {
  dataDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Listen address; default 127.0.0.1. Anything but loopback needs `allowRemote` (ADR 0076). */
  host?: string;
  /** Permit a non-loopback `host` (the CLI's --allow-remote): only on a network that is yours alone. */
  allowRemote?: boolean;
  /**
   * Origins whose web pages may call the operations Cognito serves to browsers (SignUp, InitiateAuth,
   * GetUser, …), e.g. the SPA's `http://localhost:5173`. Default: none. Admin operations and the dev
   * mailbox are never open to web pages.
   */
  corsOrigins?: string[];
  /** Host names the IdP answers besides loopback ones (DNS-rebinding guard); default none. */
  allowedHosts?: string[];
  /** Bootstraps one pool with its clients and groups on first start; defaults to @app/pool-definition. */
  definition?: UserPoolDefinition;
  /** Created CONFIRMED with email_verified=true (skipped if they already exist). */
  users?: SeedUser[];
  /**
   * The web app's own URLs, added to the bootstrap pool's hosted-UI client(s) at every start (the
   * local twin of CDK's addHostedUiUrls): the SPA's callback and sign-out URLs on whatever port it is.
   */
  appUrls?: AppUrls;
  /** Test-only lifetimes below Cognito's 5-minute minimum. */
  tokenValiditySeconds?: { access?: number; id?: number };
  /** Region for new pool ids; default us-east-1. */
  region?: string;
  /** Injectable clock (epoch ms) so tests can expire codes and lockouts without sleeping. */
  clock?: Clock;
  /** Request log sink (one JSON object per request, never with bodies); silent by default. */
  log?: Logger;
  /**
   * Where the pool's Lambda triggers run: function ARN or name → `path#export`, an http(s) URL,
   * {invoke, name?} (a Lambda Invoke endpoint) or a function (tests). See triggers/targets.ts.
   */
  functions?: FunctionMap | Map<string, FunctionTarget>;
  /** Test-only: a trigger attempt's limit, below Cognito's 5 seconds. */
  triggerTimeoutMs?: number;
  /**
   * A second listener over HTTPS with the same endpoints (Amplify v6 builds `https://<domain>/oauth2/…`):
   * `port` (default 0), and `key`/`cert` PEMs or else a certificate generated per data folder (ADR 0136).
   */
  tls?: TlsOptions;
  /**
   * Start the mock OIDC provider beside the IdP and offer it as the definition's `oidcProvider`
   * (`npm start`'s "Sign in with Google" without internet; ADR 0160, 0162).
   */
  mockOidc?: LocalProviderOptions;
  /** Worker threads for the SRP server math; default IDP_SRP_WORKERS, else one per core (ADR 0185). */
  srpWorkers?: number;
  /** Test instrumentation: told of every commit, password check and SRP verification (ADR 0079). */
  onWork?: WorkObserver;
}

export interface RunningIdp {
  url: string;
  pool: PoolInfo;
  /** The HTTPS listener, when `tls` was given. */
  tls?: TlsListener;
  /** The SRP worker pool (tests read which threads did the work). */
  srpWorkers: SrpWorkers;
  stop(): Promise<void>;
}

export async function startIdp(options: StartIdpOptions): Promise<RunningIdp> {
  const host = options.host ?? '127.0.0.1';
  checkBind(host, options.allowRemote === true);
  const exposure = makeExposure(options);
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const clock = options.clock ?? systemClock;
  // In this order: opening the store sweeps stale temp files, which must not race the key file's write.
  const store = await Store.open(options.dataDir);
  const keys = await loadOrCreateKeys(options.dataDir);
  const ctx: Ctx = {
    store,
    clock,
    keys,
    baseUrl: '',
    ready: false,
    region: options.region ?? 'us-east-1',
    challenges: new ChallengeStore(clock),
    srp: new SrpWorkers(options.srpWorkers === undefined ? {} : { size: options.srpWorkers }),
    tokenValidityOverride: { ...options.tokenValiditySeconds },
    log: options.log ?? (() => {}),
    onWork: options.onWork ?? (() => {}),
    refreshIndex: new Map(),
    oauth: { codes: new AuthorizationCodes(clock), browsers: new BrowserSessions(clock), secure: false },
    decoyKey: createHash('sha256')
      .update(keys.access.privateKey.export({ type: 'pkcs8', format: 'der' }))
      .update('decoy answers')
      .digest(),
    triggers: {
      functions:
        options.functions instanceof Map ? options.functions : normaliseFunctionMap(options.functions ?? {}),
      timeoutMs: options.triggerTimeoutMs ?? 5000,
      log: new InvocationLog(),
    },
  };
  store.onCommit = () => ctx.onWork('commit');
  const definition = options.definition ?? defaultDefinition;
  if (!store.state.bootstrap) bootstrapPool(ctx, definition);
  else
    for (const key of addMissingDefinitionClients(ctx, definition))
      ctx.log({ event: 'bootstrap', added: `client ${key} (new in the pool definition)` });
  const bootstrapped = store.state.pools[store.state.bootstrap!.poolId];
  if (bootstrapped) attachDefinitionTriggers(ctx, bootstrapped, definition);
  if (options.appUrls) addAppUrls(ctx, options.appUrls, definition);
  pruneSessions(ctx);
  rebuildRefreshIndex(ctx);
  await seedUsers(ctx, store.state.bootstrap!.poolId, options.users ?? []);
  await store.commit();

  // Before bootstrap.json is written: once /health answers 200, the file must name the provider too.
  const mock = options.mockOidc
    ? await startLocalProvider(ctx, definition, { ...options.mockOidc, dataDir: options.dataDir, host })
    : undefined;
  const server = createIdpServer(ctx, exposure);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const tls = options.tls
    ? await listenTls(options.tls, options.dataDir, host, (material) =>
        createIdpServer(ctx, exposure, material),
      )
    : undefined;
  if (tls && options.tls?.issuer) ctx.baseUrl = tls.url;
  const pool = poolInfo(ctx, tls, mock?.issuer);
  await writeBootstrapFile(options.dataDir, ctx.baseUrl, pool);
  ctx.ready = true;
  // The triggers' modules are imported ahead of their first call, but once the start is over: during
  // it they competed for the CPU with this and the other parts' own start (ADR 0207). A trigger called
  // before then (npm start's first demo accounts) imports its module itself.
  const preload = setTimeout(() => preloadModules(ctx.triggers.functions.values()), PRELOAD_AFTER_MS);
  preload.unref();

  let stopped: Promise<void> | undefined;
  return {
    url: ctx.baseUrl,
    pool,
    ...(tls ? { tls } : {}),
    srpWorkers: ctx.srp,
    stop() {
      clearTimeout(preload);
      stopped ??= (async () => {
        await Promise.all([
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
          tls?.close(),
          mock?.close(),
        ]);
        await Promise.all([store.close(), ctx.srp.close()]);
      })();
      return stopped;
    },
  };
}
