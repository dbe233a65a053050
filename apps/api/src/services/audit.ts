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
  /** Who acted: their sub and their address at the time (null for a self-deletion, ADR 0150). */
  actor: { sub: string; email: string | null };
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
 * The audit list in Postgres (ADR 0152): one row per admin action or account deletion, with the
 * actor's and the target's addresses as they were; deleting an account clears its address (ADR 0150).
 */
export class AuditLog {
  constructor(private readonly db: Queryable) {}

  async record(event: AuditRecord, db: Queryable = this.db): Promise<void> {
    await db.query(
      `insert into audit_events (actor_sub, actor_email, action, target_sub, target_email, detail)
       values ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        event.actor.sub,
        event.actor.email,
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
      `select id::text as id, at, actor_sub, actor_email, action, target_sub, target_email, detail
       from audit_events where ($1::bigint is null or id < $1::bigint)
       order by id desc limit $2`,
      [query.before ?? null, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    return {
      events: page.map(toEvent),
      next_before: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  /** Account deletion (ADR 0150): events by or about the account keep its sub but lose its address. */
  async forget(sub: string, db: Queryable = this.db): Promise<void> {
    await db.query('update audit_events set target_email = null where target_sub = $1', [sub]);
    await db.query('update audit_events set actor_email = null where actor_sub = $1', [sub]);
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
