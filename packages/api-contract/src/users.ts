import { type Static, Type } from '@sinclair/typebox';

/** GET /api/v1/users/me: the caller's profile, stored in Postgres and synced from token claims. */
export const Me = Type.Object({
  sub: Type.String(),
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  /** As typed at POST /auth/register (seed 003); null for accounts made elsewhere. */
  first_name: Type.Union([Type.String(), Type.Null()]),
  last_name: Type.Union([Type.String(), Type.Null()]),
  /** When the user accepted the terms at registration; null when they registered elsewhere. */
  terms_accepted_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  groups: Type.Array(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  /** The plan from the access token's `plan` claim (PreTokenGeneration); absent when the pool adds none. */
  plan: Type.Optional(Type.Union([Type.Literal('free'), Type.Literal('pro')])),
});
export type Me = Static<typeof Me>;

/** One row of GET /api/v1/admin/users (admin group only); data comes from the user pool. */
export const AdminUser = Type.Object({
  username: Type.String(),
  sub: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'Cognito UserStatus, e.g. CONFIRMED, UNCONFIRMED' }),
  enabled: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  /** When the API last saw the user (ADR 0151); Cognito keeps no last sign-in. Null: never. */
  last_seen_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type AdminUser = Static<typeof AdminUser>;

export const AdminUserPage = Type.Object({
  users: Type.Array(AdminUser),
  next_token: Type.Union([Type.String(), Type.Null()]),
  /** The pool's user count as Cognito estimates it (DescribeUserPool); on the first page only. */
  estimated_total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});
export type AdminUserPage = Static<typeof AdminUserPage>;

/** Cognito's account statuses, for the status filter. */
export const USER_STATUSES = [
  'UNCONFIRMED',
  'CONFIRMED',
  'FORCE_CHANGE_PASSWORD',
  'RESET_REQUIRED',
  'EXTERNAL_PROVIDER',
] as const;

/** One filter at most: Cognito's ListUsers takes a single `Filter` (400 otherwise). */
export const AdminUserListQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 60, default: 20 }),
  next_token: Type.Optional(Type.String({ maxLength: 4096 })),
  /** Prefix match on e-mail. */
  email: Type.Optional(Type.String({ maxLength: 256 })),
  /** Prefix match on the name. */
  name: Type.Optional(Type.String({ maxLength: 256 })),
  /** Exact account status. */
  status: Type.Optional(Type.Union(USER_STATUSES.map((s) => Type.Literal(s)))),
});
export type AdminUserListQuery = Static<typeof AdminUserListQuery>;

/** POST /api/v1/admin/users: invite a user; Cognito mails a temporary password. */
export const AdminCreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, format: 'email' }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type AdminCreateUserBody = Static<typeof AdminCreateUserBody>;

export const Group = Type.Object({
  group_name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
});
export type Group = Static<typeof Group>;

/** GET /api/v1/admin/groups; GET /api/v1/admin/users/:username/groups */
export const GroupList = Type.Object({ groups: Type.Array(Group) });
export type GroupList = Static<typeof GroupList>;

/** POST /api/v1/admin/users/:username/groups  — DELETE /api/v1/admin/users/:username/groups/:group_name */
export const GroupMembership = Type.Object({ group_name: Type.String({ minLength: 1, maxLength: 128 }) });
export type GroupMembership = Static<typeof GroupMembership>;

/** POST /api/v1/admin/users/:username/password — ends every session of the user. */
export const AdminSetPasswordBody = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 256 }),
    /** false: the user must choose a new password at the next sign-in (FORCE_CHANGE_PASSWORD). */
    permanent: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AdminSetPasswordBody = Static<typeof AdminSetPasswordBody>;
