import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { TokenVerifierOptions } from './auth/verifier.ts';
import type { AppConfig } from './config.ts';
import { dbPlugin } from './db/plugin.ts';
import type { Db } from './db/types.ts';
import { bufferedStdout, lazyChildLogger, loggerOptions } from './logging.ts';
import { accessLogPlugin } from './plugins/app/access-log.ts';
import { clientErrorHandler, errorHandlerPlugin, frameworkErrors } from './plugins/app/error-handler.ts';
import { healthPlugin } from './plugins/app/health.ts';
import { itemsPlugin } from './plugins/app/items.ts';
import { rateLimitPlugin } from './plugins/app/rate-limit.ts';
import { genReqId, requestIdPlugin } from './plugins/app/request-id.ts';
import { revocationPlugin } from './plugins/app/revocation.ts';
import { storePlugin } from './plugins/app/store.ts';
import { verifierPlugin } from './plugins/app/verifier.ts';
import { corsPlugin } from './plugins/external/cors.ts';
import { helmetPlugin } from './plugins/external/helmet.ts';
import { metricsPlugin } from './plugins/external/metrics.ts';
import { type PressureOptions, pressurePlugin } from './plugins/external/pressure.ts';
import { swaggerPlugin } from './plugins/external/swagger.ts';
import type { RoutesOptions } from './routes/index.ts';
import type { KvStore } from './stores/types.ts';
import { trustProxyFunction } from './trust-proxy.ts';

export interface AppOverrides {
  /** Use this database (the caller keeps ownership unless `closeDb`). */
  db?: Db;
  /** Close the given `db` when the app closes (a caller that opened it early, e.g. the local stack). */
  closeDb?: boolean;
  /** Use this store (the caller keeps ownership). */
  store?: KvStore;
  /** Apply migrations at start. Default: outside production only (production migrates as a deploy step). */
  migrate?: boolean;
  /** Verifier tuning for tests and the bench, e.g. `{ cacheMax: 0 }` to disable the verified-token cache. */
  verifier?: Partial<Pick<TokenVerifierOptions, 'cacheMax' | 'minRefetchIntervalMs' | 'jwksMaxAgeMs'>>;
  /** Replace the logger options (e.g. a test stream); default is JSON at config.logLevel with redaction. */
  logger?: FastifyServerOptions['logger'];
  /**
   * Load shedding on event-loop delay. Default: on (1 s) except with NODE_ENV=test, where test code
   * (e.g. jsbn SRP in the same process) blocks the loop on purpose; tests that want it pass options.
   */
  pressure?: PressureOptions;
  /**
   * The auth endpoints' Cognito client and answer floor (ADR 0073): tests pass a counted SDK client
   * or a recording `sleep`. Default: a client from config.cognito, the production floor.
   */
  auth?: Pick<RoutesOptions, 'cognito' | 'authOptions'>;
  /** Register routes before the app is sealed (tests and the bench add probe routes). */
  extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
}

/** Loads the routes' modules ahead of buildApp() (the local stack does it while the IdP starts). */
export async function preloadRoutes(): Promise<void> {
  await import('./routes/index.ts');
}

/**
 * The API's Fastify server options: logging, request ids, limits, timeouts, proxies. One owner for
 * buildApp and bench/api-layers.ts (which adds the app's layers one at a time to a server with them).
 */
export function serverOptions(
  config: AppConfig,
  overrides: Pick<AppOverrides, 'logger'> = {},
): FastifyServerOptions {
  return {
    // Buffered stdout (ADR 0182): one write per few KiB of lines, flushed on exit.
    logger: overrides.logger ?? { ...(loggerOptions(config) as object), stream: bufferedStdout() },
    genReqId,
    // request.log is made on first use: most requests log only their access line (ADR 0180).
    childLoggerFactory: lazyChildLogger,
    requestIdHeader: false,
    // One cheap access-log line per request instead of Fastify's two (ADR 0097, access-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // Never a hop count: Fastify 5 trusts nothing for a number (ADR 0074).
    trustProxy: config.trustProxy ? trustProxyFunction(config.trustProxy) : false,
    // Above an ALB's 60 s idle timeout, or it answers 502s on reused connections.
    keepAliveTimeout: 65_000,
    connectionTimeout: 0,
    requestTimeout: 30_000,
    clientErrorHandler,
    frameworkErrors,
    // PGlite's first open (WASM) plus migrations can take well over Fastify's 10 s default on 2 busy cores.
    pluginTimeout: 120_000,
    routerOptions: { maxParamLength: 200 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  };
}

/** One of the plugins every request goes through, by the name bench/api-layers.ts reports its cost under. */
export interface RequestLayer {
  name: string;
  register: (app: FastifyInstance) => PromiseLike<unknown>;
}

/**
 * The cross-cutting plugins every request goes through, in registration order: buildApp registers
 * them first; bench/api-layers.ts adds them one at a time to measure what each costs per request.
 */
export function requestLayers(
  config: AppConfig,
  overrides: Pick<AppOverrides, 'pressure'> = {},
): RequestLayer[] {
  const layers: RequestLayer[] = [
    { name: 'error handler', register: (app) => app.register(errorHandlerPlugin) },
    { name: 'access log', register: (app) => app.register(accessLogPlugin) },
    { name: 'request id header', register: (app) => app.register(requestIdPlugin) },
    { name: 'security headers', register: (app) => app.register(helmetPlugin) },
    { name: 'CORS', register: (app) => app.register(corsPlugin, { origins: config.webOrigins }) },
  ];
  if (overrides.pressure || config.env !== 'test') {
    layers.push({
      name: 'load shedding',
      register: (app) => app.register(pressurePlugin, overrides.pressure ?? {}),
    });
  }
  return layers;
}

/** Above serverOptions' keepAliveTimeout (an ALB's 60 s idle timeout + 5 s). */
const HEADERS_TIMEOUT_MS = 66_000;

/** Builds the whole API. Not listening yet: call `app.listen` (main.ts) or `app.inject` (tests). */
export async function buildApp(config: AppConfig, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(config, overrides));
  app.server.headersTimeout = HEADERS_TIMEOUT_MS;

  // Cross-cutting app plugins first, so every later route (and every error) goes through them.
  for (const layer of requestLayers(config, overrides)) await layer.register(app);
  await app.register(swaggerPlugin);

  await app.register(storePlugin, { config, ...(overrides.store ? { store: overrides.store } : {}) });
  await app.register(rateLimitPlugin);
  await app.register(revocationPlugin);
  await app.register(verifierPlugin, {
    config,
    ...(overrides.verifier ? { tuning: overrides.verifier } : {}),
  });
  await app.register(metricsPlugin, { defaultMetrics: config.env !== 'test' });
  await app.register(dbPlugin, {
    config,
    ...(overrides.db ? { db: overrides.db, closeDb: overrides.closeDb ?? false } : {}),
    migrate: overrides.migrate ?? config.env !== 'production',
  });
  await app.register(itemsPlugin, { config });
  await app.register(healthPlugin);

  if (config.provisioningToken)
    await app.register((await import('./routes/internal.ts')).default, {
      prefix: '/_internal',
      token: config.provisioningToken,
    });
  if (overrides.extraRoutes) await app.register(async (scope) => overrides.extraRoutes!(scope));
  await app.register((await import('./routes/index.ts')).default, {
    prefix: '/api/v1',
    config,
    ...overrides.auth,
  });
  return app;
}
