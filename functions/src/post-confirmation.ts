import { upsertSyncedUser } from '@app/api/users';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import {
  isTransientApiError,
  type ProvisionedUser,
  provisioningTarget,
  provisionThroughApi,
} from './api-provisioning.ts';
import { database, withRetry } from './db.ts';

/** One structured line, without the e-mail or name (logs carry no personal data beyond the sub). */
const log = (level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}) =>
  console[level](JSON.stringify({ level, msg, fn: 'post-confirmation', ...extra }));

/**
 * Writes the row where this environment keeps it: the database (DATABASE_URL, or the secret on AWS),
 * else the API's provisioning endpoint (npm start with PGlite, ADR 0155). Transient errors are
 * retried within the 5-second budget. Undefined when neither is configured.
 */
async function writeRow(user: ProvisionedUser): Promise<'database' | 'api' | undefined> {
  const db = await database();
  if (db) {
    const queryable = {
      query: async <T>(sql: string, params?: unknown[]) =>
        (await db.query(sql, params)) as unknown as { rows: T[] },
      exec: async (sql: string) => void (await db.query(sql)),
    };
    await withRetry(() => upsertSyncedUser(queryable, user));
    return 'database';
  }
  const api = provisioningTarget();
  if (!api) return undefined;
  await withRetry(() => provisionThroughApi(api, user), 3, 200, isTransientApiError);
  return 'api';
}

/**
 * PostConfirmation: the user's row in the API's database at confirmation (seed 003), with the same
 * idempotent upsert the API uses (`upsertSyncedUser`), so a repeat (ConfirmForgotPassword, a retry)
 * changes nothing. If the row still cannot be written the function logs and lets the confirmation
 * stand instead of failing it: the API's own upsert at the user's first request is the retry path
 * (ADR 0122), so the user is never lost.
 */
export async function handler(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  const attrs = event.request.userAttributes;
  const sub = attrs.sub;
  if (!sub) {
    log('error', 'event without sub', { triggerSource: event.triggerSource });
    return event;
  }
  try {
    const via = await writeRow({
      sub,
      username: event.userName,
      email: attrs.email_verified === 'true' ? (attrs.email ?? null) : null,
      name: attrs.name ?? null,
    });
    if (via) log('info', 'user row written', { sub, via, triggerSource: event.triggerSource });
    else log('warn', 'no database configured: the API creates the row at first sign-in', { sub });
  } catch (err) {
    log('error', 'user row not written; the API will create it at first sign-in', {
      sub,
      error: (err as Error).message,
    });
  }
  return event;
}
