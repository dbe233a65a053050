/**
 * The one mapping from the pool and the URLs to the API's environment. `npm start`, the tests,
 * compose (through the bundled compose CLI) and the CDK task definition all call it, so the API's
 * variables are named in one place; `ApiEnv` comes from the API's own schema, so a renamed or
 * removed variable fails type-checking here.
 */
import type { ApiEnv } from '@app/api/config';
import type { PoolIds } from './pool.ts';

export type { ApiEnv, ApiEnvVar } from '@app/api/config';

export interface ApiWiring {
  /** A Cognito-compatible endpoint other than AWS's (the local IdP): COGNITO_ENDPOINT. */
  idpUrl?: string;
  /** Origins the SPA is served from (CORS): WEB_ORIGIN. On AWS it is added once the CDN exists. */
  webOrigins?: string[];
  host?: string;
  port?: number;
  /** npm start with PGlite: the PostConfirmation trigger's key to /_internal/users (ADR 0155). */
  provisioningToken?: string;
}

/**
 * The API's environment: the pool's ids and the wiring's URLs, over `settings` (the variables that
 * are a choice of the environment, not of the wiring: NODE_ENV, DATABASE_URL, LOG_LEVEL, …).
 */
/** The pool as the API needs it (the SPA's client id is the SPA's business). */
export type ApiPool = Omit<PoolIds, 'webClientId'>;

export function apiEnv(pool: ApiPool, wiring: ApiWiring = {}, settings: ApiEnv = {}): ApiEnv {
  // Every key written out (no conditional spreads), so each is checked against the API's schema.
  const wired: ApiEnv = {
    COGNITO_REGION: pool.region,
    COGNITO_USER_POOL_ID: pool.poolId,
    COGNITO_ISSUER: pool.issuer,
    COGNITO_JWKS_URI: pool.jwksUri ?? `${pool.issuer}/.well-known/jwks.json`,
    COGNITO_CLIENT_IDS: pool.clientIds.join(','),
    COGNITO_MACHINE_CLIENT_IDS: pool.machineClientIds?.length ? pool.machineClientIds.join(',') : undefined,
    COGNITO_AUTH_CLIENT_ID: pool.backendClientId,
    COGNITO_AUTH_CLIENT_SECRET: pool.backendClientSecret,
    COGNITO_ENDPOINT: wiring.idpUrl,
    WEB_ORIGIN: wiring.webOrigins?.join(','),
    HOST: wiring.host,
    PORT: wiring.port === undefined ? undefined : String(wiring.port),
    INTERNAL_PROVISIONING_TOKEN: wiring.provisioningToken,
  };
  const env: ApiEnv = { ...settings };
  for (const [name, value] of Object.entries(wired) as [keyof ApiEnv, string | undefined][])
    if (value !== undefined) env[name] = value;
  return env;
}
