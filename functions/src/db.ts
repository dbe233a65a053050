import type pg from 'pg';

/**
 * One small pool per Lambda container (or per local IdP process), opened on first use and kept
 * across invocations. The URL is DATABASE_URL locally; on AWS the function reads it once from the
 * secret named by DATABASE_URL_SECRET_ARN (the API's own, ADR 0066), so it is never in the
 * function's configuration. Undefined when neither is set.
 */
let pool: Promise<pg.Pool | undefined> | undefined;

async function databaseUrl(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const arn = env.DATABASE_URL_SECRET_ARN;
  if (!arn) return undefined;
  // Loaded only when used: the local IdP imports every trigger at start, and with the embedded
  // database (npm start's default) no trigger ever opens a connection (ADR 0207).
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return secret.SecretString;
}

export function database(env: NodeJS.ProcessEnv = process.env): Promise<pg.Pool | undefined> {
  pool ??= databaseUrl(env).then(async (url) =>
    url
      ? new (await import('pg')).default.Pool({
          connectionString: url,
          max: 1,
          connectionTimeoutMillis: 1500,
          idleTimeoutMillis: 60_000,
          // A trigger has 5 seconds in all: no single statement may take most of them.
          statement_timeout: 1500,
        })
      : undefined,
  );
  // A failed secret read is tried again by the next invocation.
  pool.catch(() => {
    pool = undefined;
  });
  return pool;
}

/** Closes the pool (tests; a Lambda container just freezes). */
export async function closeDatabase() {
  const p = await pool?.catch(() => undefined);
  pool = undefined;
  await p?.end();
}

/** A database error a retry can cure: no connection, a restart, a timeout, too many clients. */
export function isTransientDbError(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return /^(08|57P0|53)/.test(code) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|timeout/i.test(String(err));
}

/** Runs `fn` up to `attempts` times on errors `transient` says a retry can cure. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  attempts = 3,
  delayMs = 200,
  transient: (err: unknown) => boolean = isTransientDbError,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!transient(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, delayMs * i));
    }
  }
}
