import { z } from 'zod';
import { cognitoIssuer, ISSUER_OVERRIDE_VAR, isLoopbackUrl, productionIdpProblems } from './idp-policy.ts';
import { parseTrustProxy, type TrustProxy } from './trust-proxy.ts';

export { isLoopbackUrl } from './idp-policy.ts';
export type { TrustProxy } from './trust-proxy.ts';

/** Typed, validated configuration of the API. Built once at boot by `loadConfig`. */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  cognito: {
    region: string;
    userPoolId: string;
    issuer: string;
    jwksUri: string;
    /** App client ids whose access tokens this API accepts. */
    clientIds: string[];
    /** Client-credentials clients whose access tokens are machine principals (scoped routes only). */
    machineClientIds: string[];
    /** App client the backend auth endpoints (/api/v1/auth/*) sign in with. */
    authClientId: string;
    authClientSecret?: string;
    /** AWS SDK endpoint override (e.g. the local IdP). */
    endpoint?: string;
    authFlow: 'srp' | 'password';
  };
  /** poolMax: most connections this process opens (DB_POOL_MAX), counted by the deploy's budget. */
  db: { url?: string; dataDir: string; poolMax: number };
  /** Shared store (REDIS_URL); cluster: REDIS_CLUSTER, for cluster mode or ElastiCache Serverless. */
  redis?: { url: string; cluster: boolean };
  webOrigins: string[];
  /** Which proxies' X-Forwarded-For entries decide `request.ip` (ADR 0074); false = the socket peer. */
  trustProxy: TrustProxy | false;
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  /** npm start with PGlite: the key the PostConfirmation trigger shows at /_internal/users (ADR 0155). */
  provisioningToken?: string;
  /** Where items live (ADR 0092): the Postgres/PGlite database above, or a DynamoDB table. */
  items: { store: 'postgres' } | { store: 'dynamodb'; table: string; region: string; endpoint?: string };
  /** Item attachments in S3 through presigned URLs (ADR 0170); absent: no attachment routes. */
  attachments?: AttachmentsConfig;
}

export interface AttachmentsConfig {
  bucket: string;
  region: string;
  /** A local S3-compatible server (s3rver); unset = AWS. */
  endpoint?: string;
  /** Largest file in bytes. */
  maxBytes: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const commaList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const EnvSchema = z.object({
  NODE_ENV: z.preprocess(
    emptyToUndefined,
    z.enum(['development', 'test', 'production']).default('development'),
  ),
  HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(8000)),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  COGNITO_REGION: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'e.g. us-east-1'),
  ),
  COGNITO_USER_POOL_ID: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/, 'e.g. us-east-1_AbC123xyz'),
  ),
  COGNITO_ISSUER: z.preprocess(emptyToUndefined, httpUrl.optional()),
  COGNITO_JWKS_URI: z.preprocess(emptyToUndefined, httpUrl.optional()),
  COGNITO_CLIENT_IDS: commaList.pipe(z.array(z.string().regex(/^[\w+]+$/)).min(1, 'at least one client id')),
  COGNITO_MACHINE_CLIENT_IDS: commaList.pipe(z.array(z.string().regex(/^[\w+]+$/))),
  COGNITO_AUTH_CLIENT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[\w+]+$/)
      .optional(),
  ),
  COGNITO_AUTH_CLIENT_SECRET: optionalString,
  COGNITO_ENDPOINT: z.preprocess(emptyToUndefined, httpUrl.optional()),
  AUTH_FLOW: z.preprocess(emptyToUndefined, z.enum(['srp', 'password']).default('srp')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.data/api')),
  DB_POOL_MAX: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100).default(10)),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  ),
  REDIS_CLUSTER: z.preprocess(
    emptyToUndefined,
    z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  ),
  WEB_ORIGIN: commaList.pipe(z.array(z.url({ protocol: /^https?$/, error: 'must be http(s) origins' }))),
  TRUST_PROXY: z.preprocess(emptyToUndefined, z.string().default('false')),
  TRUST_PROXY_HOPS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(5).default(0)),
  [ISSUER_OVERRIDE_VAR]: optionalString,
  ITEMS_STORE: z.preprocess(emptyToUndefined, z.enum(['postgres', 'dynamodb']).default('postgres')),
  DYNAMODB_TABLE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[\w.-]{3,255}$/, 'a DynamoDB table name')
      .optional(),
  ),
  DYNAMODB_ENDPOINT: z.preprocess(emptyToUndefined, httpUrl.optional()),
  ATTACHMENTS_BUCKET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name')
      .optional(),
  ),
  S3_ENDPOINT: z.preprocess(emptyToUndefined, httpUrl.optional()),
  ATTACHMENT_MAX_BYTES: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int()
      .min(1)
      .max(5 * 1024 ** 3)
      .default(10 * 1024 * 1024),
  ),
  BODY_LIMIT_BYTES: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(64 * 1024),
  ),
  // npm start with the embedded PGlite only: the PostConfirmation trigger's key to /_internal (ADR 0155).
  INTERNAL_PROVISIONING_TOKEN: z.preprocess(emptyToUndefined, z.string().min(32).optional()),
});

/**
 * Every environment variable the API reads, straight from its schema: the wiring (packages/stack)
 * types what it sets against this, and infra's test checks each name is set on AWS or waived.
 */
export const apiEnvVars = Object.keys(EnvSchema.shape) as ApiEnvVar[];
export type ApiEnvVar = keyof z.input<typeof EnvSchema>;
/** The API's environment as the wiring writes it: names from the schema, values as strings. */
export type ApiEnv = Partial<Record<ApiEnvVar, string>>;

/** Origins are compared exactly by the CORS plugin, so normalise them (no path, no trailing slash). */
function normaliseOrigin(origin: string): string {
  return new URL(origin).origin;
}

/**
 * Reads and validates the environment. Throws a ConfigError listing every bad variable, and refuses
 * configurations that are unsafe in production (a local IdP, plain-http keys, in-process stores).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`));
  }
  const e = parsed.data;
  const issuer = (e.COGNITO_ISSUER ?? cognitoIssuer(e.COGNITO_REGION, e.COGNITO_USER_POOL_ID))
    .trim()
    .replace(/\/+$/, '');
  const jwksUri = e.COGNITO_JWKS_URI ?? `${issuer}/.well-known/jwks.json`;
  const problems: string[] = [];

  const override = e[ISSUER_OVERRIDE_VAR]?.replace(/\/+$/, '');
  if (e.NODE_ENV === 'production') {
    problems.push(
      ...productionIdpProblems({
        region: e.COGNITO_REGION,
        userPoolId: e.COGNITO_USER_POOL_ID,
        issuer,
        jwksUri,
        ...(e.COGNITO_ENDPOINT ? { endpoint: e.COGNITO_ENDPOINT } : {}),
        ...(override ? { override } : {}),
      }),
    );
    if (!e.DATABASE_URL)
      problems.push('DATABASE_URL: required in production (PGlite is for development only)');
    if (!e.REDIS_URL)
      problems.push('REDIS_URL: required in production (the in-process store is per instance)');
    if (e.INTERNAL_PROVISIONING_TOKEN)
      problems.push(
        'INTERNAL_PROVISIONING_TOKEN: for npm start only (on AWS the PostConfirmation function writes the row itself)',
      );
  } else {
    for (const [name, url] of [
      ['COGNITO_ISSUER', issuer],
      ['COGNITO_JWKS_URI', jwksUri],
    ] as const) {
      if (new URL(url).protocol !== 'https:' && !isLoopbackUrl(url)) {
        problems.push(`${name}: plain http is allowed only for loopback hosts (got ${url})`);
      }
    }
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY, e.TRUST_PROXY_HOPS);
  problems.push(...trustProxy.problems);
  for (const id of e.COGNITO_MACHINE_CLIENT_IDS.filter((m) => e.COGNITO_CLIENT_IDS.includes(m)))
    problems.push(`COGNITO_MACHINE_CLIENT_IDS: ${id} is also a user client (COGNITO_CLIENT_IDS)`);
  const authClientId = e.COGNITO_AUTH_CLIENT_ID ?? e.COGNITO_CLIENT_IDS[0]!;
  if (e.REDIS_CLUSTER === 'true' && !e.REDIS_URL)
    problems.push('REDIS_CLUSTER: needs REDIS_URL (a node of the cluster)');
  if (e.ITEMS_STORE === 'dynamodb' && !e.DYNAMODB_TABLE)
    problems.push('DYNAMODB_TABLE: required with ITEMS_STORE=dynamodb');
  if (e.NODE_ENV === 'production' && e.DYNAMODB_ENDPOINT && isLoopbackUrl(e.DYNAMODB_ENDPOINT))
    problems.push('DYNAMODB_ENDPOINT: a local server is for development only');
  if (e.NODE_ENV === 'production' && e.S3_ENDPOINT && isLoopbackUrl(e.S3_ENDPOINT))
    problems.push('S3_ENDPOINT: a local server is for development only');
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    cognito: {
      region: e.COGNITO_REGION,
      userPoolId: e.COGNITO_USER_POOL_ID,
      issuer,
      jwksUri,
      clientIds: e.COGNITO_CLIENT_IDS,
      machineClientIds: e.COGNITO_MACHINE_CLIENT_IDS,
      authClientId,
      ...(e.COGNITO_AUTH_CLIENT_SECRET ? { authClientSecret: e.COGNITO_AUTH_CLIENT_SECRET } : {}),
      ...(e.COGNITO_ENDPOINT ? { endpoint: e.COGNITO_ENDPOINT } : {}),
      authFlow: e.AUTH_FLOW,
    },
    db: { ...(e.DATABASE_URL ? { url: e.DATABASE_URL } : {}), dataDir: e.DATA_DIR, poolMax: e.DB_POOL_MAX },
    ...(e.REDIS_URL ? { redis: { url: e.REDIS_URL, cluster: e.REDIS_CLUSTER === 'true' } } : {}),
    webOrigins: e.WEB_ORIGIN.map(normaliseOrigin),
    trustProxy: trustProxy.value,
    bodyLimit: e.BODY_LIMIT_BYTES,
    ...(e.INTERNAL_PROVISIONING_TOKEN ? { provisioningToken: e.INTERNAL_PROVISIONING_TOKEN } : {}),
    items:
      e.ITEMS_STORE === 'dynamodb'
        ? {
            store: 'dynamodb',
            table: e.DYNAMODB_TABLE!,
            region: e.COGNITO_REGION,
            ...(e.DYNAMODB_ENDPOINT ? { endpoint: e.DYNAMODB_ENDPOINT } : {}),
          }
        : { store: 'postgres' },
    ...(e.ATTACHMENTS_BUCKET
      ? {
          attachments: {
            bucket: e.ATTACHMENTS_BUCKET,
            region: e.COGNITO_REGION,
            maxBytes: e.ATTACHMENT_MAX_BYTES,
            ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}),
          },
        }
      : {}),
  };
}
