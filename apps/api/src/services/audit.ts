import type { AuditEvent, AuditEventPage } from '@app/api-contract';
import type { Queryable } from '../db/index.ts';

/** What the audit list records; the names are stable (the SPA words them). */
export type AuditAction =
  | 'account.deleted_by_self'
  | 'user.created'
  | 'user.deleted'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.password_reset'
  | 'user.password_set'
  | 'user.signed_out'
  | 'user.mfa_reset'
  | 'user.group_added'
  | 'user.group_removed';

export interface AuditRecord {
  actorSub: string;
  action: AuditAction;
  target?: { sub: string; email: string | null } | undefined;
  detail?: Record<string, string> | undefined;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_sub: string;
  actor_email: string | null;
  action: string;
  target_sub: string | null;
  target_email: string | null;
  detail: Record<string, string>;
}

/**
 * The audit list in Postgres (ADR 0152): one row per admin action or account deletion. Actors are kept
 * by sub and shown with the e-mail of their `users` row, so a deleted actor's address goes with the row.
 */
export class AuditLog {
  constructor(private readonly db: Queryable) {}

  async record(event: AuditRecord, db: Queryable = this.db): Promise<void> {
    await db.query(
      `insert into audit_events (actor_sub, action, target_sub, target_email, detail)
       values ($1, $2, $3, $4, $5::jsonb)`,
      [
        event.actorSub,
        event.action,
        event.target?.sub ?? null,
        event.target?.email ?? null,
        JSON.stringify(event.detail ?? {}),
      ],
    );
  }

  /** Newest first; `before` is the id of the last event of the previous page. */
  async list(query: { limit: number; before?: string | undefined }): Promise<AuditEventPage> {
    const { rows } = await this.db.query<AuditRow>(
      `select e.id::text as id, e.at, e.actor_sub, a.email as actor_email, e.action, e.target_sub,
         e.target_email, e.detail
       from audit_events e left join users a on a.sub = e.actor_sub
       where ($1::bigint is null or e.id < $1::bigint)
       order by e.id desc limit $2`,
      [query.before ?? null, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    return {
      events: page.map(toEvent),
      next_before: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  /** Account deletion (ADR 0150): events about the account keep its sub but lose its address. */
  async forget(sub: string, db: Queryable = this.db): Promise<void> {
    await db.query('update audit_events set target_email = null where target_sub = $1', [sub]);
  }
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor_sub: row.actor_sub,
    actor_email: row.actor_email,
    action: row.action,
    target_sub: row.target_sub,
    target_email: row.target_email,
    detail: row.detail ?? {},
  };
}
