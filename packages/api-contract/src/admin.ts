import { type Static, Type } from '@sinclair/typebox';

/** One row of GET /api/v1/admin/audit: who did what to which account, and when. */
export const AuditEvent = Type.Object({
  id: Type.String({ description: 'Increasing; pass the last one as `before` for the next page' }),
  at: Type.String({ format: 'date-time' }),
  actor_sub: Type.String(),
  /** The actor's current address (null once their account is gone). */
  actor_email: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ description: 'e.g. user.disabled, user.created, account.deleted_by_self' }),
  target_sub: Type.Union([Type.String(), Type.Null()]),
  /** The target's address at the time; cleared when that account is deleted. */
  target_email: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.String()),
});
export type AuditEvent = Static<typeof AuditEvent>;

export const AuditEventPage = Type.Object({
  events: Type.Array(AuditEvent),
  next_before: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEventPage = Static<typeof AuditEventPage>;

export const AuditListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
  before: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })),
});
