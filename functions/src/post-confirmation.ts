import { upsertSyncedUser } from '@app/api/users';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { database, withRetry } from './db.ts';

/** One structured line, without the e-mail or name (logs carry no personal data beyond the sub). */
const log = (level: 'info' | 'warn' | 'error', msg: string, extra: Record<string, unknown> = {}) =>
  console[level](JSON.stringify({ level, msg, fn: 'post-confirmation', ...extra }));

/**
 * PostConfirmation: the user's row in the API's database at confirmation (seed 003), with the same
 * idempotent upsert the API uses (`upsertSyncedUser`), so a repeat (ConfirmForgotPassword, a retry)
 * changes nothing. Transient database errors are retried; if the row still cannot be written the
 * function logs and lets the confirmation stand instead of failing it: the API's own upsert at the
 * user's first request is the retry path (ADR 0122), so the user is never lost.
 */
export async function handler(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  const attrs = event.request.userAttributes;
  const sub = attrs.sub;
  const db = await database();
  if (!sub) {
    log('error', 'event without sub', { triggerSource: event.triggerSource });
    return event;
  }
  if (!db) {
    log('warn', 'DATABASE_URL not set: the API creates the row at first sign-in', { sub });
    return event;
  }
  try {
    await withRetry(() =>
      upsertSyncedUser(
        {
          query: async <T>(sql: string, params?: unknown[]) =>
            (await db.query(sql, params)) as unknown as { rows: T[] },
          exec: async (sql: string) => void (await db.query(sql)),
        },
        {
          sub,
          username: event.userName,
          email: attrs.email_verified === 'true' ? (attrs.email ?? null) : null,
          name: attrs.name ?? null,
        },
      ),
    );
    log('info', 'user row written', { sub, triggerSource: event.triggerSource });
  } catch (err) {
    log('error', 'user row not written; the API will create it at first sign-in', {
      sub,
      error: (err as Error).message,
    });
  }
  return event;
}
