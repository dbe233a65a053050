export {
  type AppOverrides,
  buildApp,
  preloadRoutes,
  requestLayers,
  serverOptions,
} from './app.ts';
export { requireGroups, requireScopes, requireUser } from './auth/deps.ts';
export { Revocation, RevocationUnavailableError } from './auth/revocation.ts';
export * from './auth/token-errors.ts';
export type { AuthenticatedUser } from './auth/user.ts';
export { JwksUnavailableError, TokenVerifier } from './auth/verifier.ts';
export {
  type ApiEnv,
  type ApiEnvVar,
  type AppConfig,
  apiEnvVars,
  ConfigError,
  loadConfig,
} from './config.ts';
export { createDb, type Db, runMigrations } from './db/index.ts';
export * from './errors.ts';
export { startServer } from './main.ts';
export { type RateLimitOptions, rateLimit } from './plugins/app/rate-limit.ts';
export { type SeedUser as DemoDataUser, seedDemoData } from './services/seed.ts';
export { createStore, type KvStore, MemoryStore, RedisStore } from './stores/index.ts';
