import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/**
 * The API's configuration contract (apps/api validates these at start-up). Every name here is set
 * on AWS either as plain config or from Secrets Manager, except the local-only ones.
 */
export const apiEnvVars = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'LOG_LEVEL',
  'COGNITO_REGION',
  'COGNITO_USER_POOL_ID',
  'COGNITO_ISSUER',
  'COGNITO_JWKS_URI',
  'COGNITO_CLIENT_IDS',
  'COGNITO_AUTH_CLIENT_ID',
  'COGNITO_AUTH_CLIENT_SECRET',
  'COGNITO_ENDPOINT',
  'AUTH_FLOW',
  'DATABASE_URL',
  'DATA_DIR',
  'DB_POOL_MAX',
  'REDIS_URL',
  'WEB_ORIGIN',
  'TRUST_PROXY',
  'TRUST_PROXY_HOPS',
  'BODY_LIMIT_BYTES',
  'UNSAFE_NON_COGNITO_ISSUER',
  'ITEMS_STORE',
  'DYNAMODB_TABLE',
  'DYNAMODB_ENDPOINT',
] as const;
export type ApiEnvVar = (typeof apiEnvVars)[number];

/**
 * Never set on AWS: the SDK talks to Cognito itself, and production trusts only the pool's
 * Cognito issuer (the override is for a local production rehearsal, ADR 0075).
 */
export const localOnlyEnvVars: readonly ApiEnvVar[] = [
  'COGNITO_ENDPOINT',
  'UNSAFE_NON_COGNITO_ISSUER',
  'DYNAMODB_ENDPOINT',
];
/** Never plain text in a task definition: injected from Secrets Manager. */
export const secretEnvVars = ['COGNITO_AUTH_CLIENT_SECRET', 'DATABASE_URL', 'REDIS_URL'] as const;
export type SecretEnvVar = (typeof secretEnvVars)[number];

export const apiPort = 8000;

export interface ApiEnvInputs {
  readonly region: string;
  readonly userPoolId: string;
  readonly issuer: string;
  readonly clientIds: string[];
  readonly authClientId: string;
  /**
   * Where the ALB connects from (the VPC CIDR) and how many proxies stand in front of it (CloudFront):
   * TRUST_PROXY / TRUST_PROXY_HOPS (ADR 0074).
   */
  readonly trustProxy: { readonly proxies: string; readonly hops: number };
  /** Per-task Postgres pool size, part of the connection budget (ADR 0087). */
  readonly dbPoolMax: number;
  /** The items table (ADR 0093); items live in DynamoDB on AWS. */
  readonly itemsTable: string;
  readonly secrets: Record<SecretEnvVar, secretsmanager.ISecret>;
}

export function apiEnvironment(i: ApiEnvInputs): {
  environment: Record<string, string>;
  secrets: Record<string, ecs.Secret>;
} {
  // WEB_ORIGIN is added by the stack once the CDN (whose URL it is) exists.
  const environment: Record<
    Exclude<
      ApiEnvVar,
      SecretEnvVar | 'COGNITO_ENDPOINT' | 'UNSAFE_NON_COGNITO_ISSUER' | 'DYNAMODB_ENDPOINT' | 'WEB_ORIGIN'
    >,
    string
  > = {
    NODE_ENV: 'production',
    HOST: '0.0.0.0',
    PORT: String(apiPort),
    LOG_LEVEL: 'info',
    COGNITO_REGION: i.region,
    COGNITO_USER_POOL_ID: i.userPoolId,
    COGNITO_ISSUER: i.issuer,
    COGNITO_JWKS_URI: `${i.issuer}/.well-known/jwks.json`,
    COGNITO_CLIENT_IDS: i.clientIds.join(','),
    COGNITO_AUTH_CLIENT_ID: i.authClientId,
    AUTH_FLOW: 'srp',
    DATA_DIR: '/tmp/app-data',
    DB_POOL_MAX: String(i.dbPoolMax),
    TRUST_PROXY: i.trustProxy.proxies,
    TRUST_PROXY_HOPS: String(i.trustProxy.hops),
    BODY_LIMIT_BYTES: String(64 * 1024),
    ITEMS_STORE: 'dynamodb',
    DYNAMODB_TABLE: i.itemsTable,
  };
  const secrets: Record<string, ecs.Secret> = {};
  for (const name of secretEnvVars) secrets[name] = ecs.Secret.fromSecretsManager(i.secrets[name]);
  return { environment, secrets };
}
