import { type ApiEnvVar, apiEnvVars } from '@app/api/config';
import { apiEnv } from '@app/stack/wiring';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** Every variable the API reads: its own schema's list (apps/api/src/config.ts), never a copy. */
export { type ApiEnvVar, apiEnvVars };

/**
 * Variables of the API's schema deliberately never set on AWS, each with its reason. A variable the
 * API gains must be set by the task definition or listed here, or infra/test/stack.test.ts fails.
 */
export const waivedEnvVars: Partial<Record<ApiEnvVar, string>> = {
  COGNITO_ENDPOINT: 'the SDK talks to Cognito itself; an endpoint is for the local IdP only',
  UNSAFE_NON_COGNITO_ISSUER: "production trusts only the pool's Cognito issuer (ADR 0075)",
  DYNAMODB_ENDPOINT: 'the SDK talks to DynamoDB itself; an endpoint is for dynalite only',
  S3_ENDPOINT: 'the SDK talks to S3 itself; an endpoint is for the local s3rver only',
  INTERNAL_PROVISIONING_TOKEN:
    'npm start with PGlite only (ADR 0155); on AWS the PostConfirmation function writes the row itself',
};
export const localOnlyEnvVars = Object.keys(waivedEnvVars) as ApiEnvVar[];

/** Never plain text in a task definition: injected from Secrets Manager. */
export const secretEnvVars = ['COGNITO_AUTH_CLIENT_SECRET', 'DATABASE_URL', 'REDIS_URL'] as const;
export type SecretEnvVar = (typeof secretEnvVars)[number];

export const apiPort = 8000;

export interface ApiEnvInputs {
  readonly region: string;
  readonly userPoolId: string;
  readonly issuer: string;
  readonly clientIds: string[];
  /** Client-credentials clients whose tokens are machine principals (ADR 0135). */
  readonly machineClientIds: string[];
  readonly authClientId: string;
  /**
   * Where the ALB connects from (the VPC CIDR) and how many proxies stand in front of it (CloudFront):
   * TRUST_PROXY / TRUST_PROXY_HOPS (ADR 0074).
   */
  readonly trustProxy: { readonly proxies: string; readonly hops: number };
  /** Per-task Postgres pool size, part of the connection budget (ADR 0087). */
  readonly dbPoolMax: number;
  /** The cache is a Redis Cluster (cluster mode / Serverless): REDIS_CLUSTER (ADR 0175). */
  readonly redisCluster: boolean;
  /** The items table (ADR 0093); items live in DynamoDB on AWS. */
  readonly itemsTable: string;
  /** The attachments bucket (ADR 0170). */
  readonly attachmentsBucket: string;
  readonly secrets: Record<SecretEnvVar, secretsmanager.ISecret>;
}

/**
 * The task's environment through packages/stack's one mapping (the same `npm start` uses), with the
 * production settings on top; the client secret, DATABASE_URL and REDIS_URL come from Secrets
 * Manager. WEB_ORIGIN is added by the stack once the CDN (whose URL it is) exists.
 */
export function apiEnvironment(i: ApiEnvInputs): {
  environment: Record<string, string>;
  secrets: Record<string, ecs.Secret>;
} {
  const environment = apiEnv(
    {
      region: i.region,
      poolId: i.userPoolId,
      issuer: i.issuer,
      clientIds: i.clientIds,
      backendClientId: i.authClientId,
    },
    { host: '0.0.0.0', port: apiPort },
    {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      COGNITO_MACHINE_CLIENT_IDS: i.machineClientIds.join(','),
      AUTH_FLOW: 'srp',
      DATA_DIR: '/tmp/app-data',
      DB_POOL_MAX: String(i.dbPoolMax),
      REDIS_CLUSTER: String(i.redisCluster),
      TRUST_PROXY: i.trustProxy.proxies,
      TRUST_PROXY_HOPS: String(i.trustProxy.hops),
      BODY_LIMIT_BYTES: String(64 * 1024),
      ITEMS_STORE: 'dynamodb',
      DYNAMODB_TABLE: i.itemsTable,
      ATTACHMENTS_BUCKET: i.attachmentsBucket,
      ATTACHMENT_MAX_BYTES: String(10 * 1024 * 1024),
    },
  ) as Record<string, string>;
  const secrets: Record<string, ecs.Secret> = {};
  for (const name of secretEnvVars) secrets[name] = ecs.Secret.fromSecretsManager(i.secrets[name]);
  return { environment, secrets };
}
