import { parseArgs } from 'node:util';
import type { AppConfig } from '../config.ts';
import type { DbConfig } from '../db/index.ts';

/**
 * The CLIs need only the database settings, so they read DATABASE_URL and DATA_DIR directly (same
 * defaults as src/config.ts) instead of the full API config with its Cognito settings.
 */
export function dbConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DbConfig {
  const url = env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) throw new Error('DATABASE_URL must be a postgres:// URL');
  return { db: { ...(url ? { url } : {}), dataDir: env.DATA_DIR?.trim() || './.data/api' } };
}

/** ITEMS_STORE and its DynamoDB settings, as src/config.ts reads them (ADR 0092). */
export function itemsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig['items'] {
  if ((env.ITEMS_STORE?.trim() || 'postgres') === 'postgres') return { store: 'postgres' };
  const table = env.DYNAMODB_TABLE?.trim();
  if (env.ITEMS_STORE !== 'dynamodb' || !table)
    throw new Error('ITEMS_STORE must be postgres or dynamodb (with DYNAMODB_TABLE)');
  const endpoint = env.DYNAMODB_ENDPOINT?.trim();
  const region = env.COGNITO_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  return { store: 'dynamodb', table, region, ...(endpoint ? { endpoint } : {}) };
}

export function parseCliArgs(argv: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
}

/** Prints the error without a stack (these are operator tools) and exits non-zero. */
/** "message (caused by: ...)" down the cause chain: the real reason (TLS, auth, refused) must reach the log. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(' (caused by: ') + ')'.repeat(parts.length - 1);
}

export function fail(err: unknown): never {
  console.error(`error: ${describeError(err)}`);
  process.exit(1);
}
