import type { Me } from '@app/api-contract';
import type { Db, Queryable } from '../db/index.ts';

/**
 * Where e-mail and name come from: Cognito GetUser with the caller's own access token. `email` is
 * the verified address only (null when unverified), so a pending change never replaces the stored one.
 */
export interface ProfileSource {
  getProfile(accessToken: string): Promise<{ email: string | null; name: string | null }>;
}

export interface Caller {
  sub: string;
  username: string;
  groups: string[];
  accessToken: string;
  /** From the access token's `plan` claim (PreTokenGeneration, ADR 0122). */
  plan?: 'free' | 'pro';
}

interface UserRow {
  sub: string;
  username: string;
  email: string | null;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  terms_accepted_at: Date | null;
  created_at: Date;
  synced_at: Date | null;
}

interface SeenRow extends UserRow {
  last_seen_at: Date;
}

/** Re-read attributes from the IdP at most this often; between syncs the row is the profile. */
export const PROFILE_RESYNC_MS = 24 * 60 * 60 * 1000;

/**
 * `last_seen_at` is written at most this often per user (ADR 0096): a read must not become a write
 * (a row lock and a WAL flush) on every request.
 */
export const LAST_SEEN_EVERY_MS = 5 * 60 * 1000;

const userColumns =
  'sub, username, email, name, first_name, last_name, terms_accepted_at, created_at, synced_at';

/** Makes sure a row exists for this sub (items reference it); never overwrites synced attributes. */
export async function ensureUserRow(
  db: Queryable,
  user: { sub: string; username: string },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `insert into users (sub, username) values ($1, $2)
     on conflict (sub) do update set last_seen_at = now() returning ${userColumns}`,
    [user.sub, user.username],
  );
  return rows[0]!;
}

/**
 * Upsert from claims the API received straight from the IdP (login: ID token), see ADR 0043. A null
 * `email` means "no verified address in these claims": the stored one stays (ADR 0072).
 */
export async function upsertSyncedUser(
  db: Queryable,
  user: { sub: string; username: string; email: string | null; name: string | null },
): Promise<UserRow> {
  const { rows } = await db.query<UserRow>(
    `insert into users (sub, username, email, name, synced_at) values ($1, $2, $3, $4, now())
     on conflict (sub) do update set username = excluded.username,
       email = coalesce(excluded.email, users.email),
       name = excluded.name, synced_at = now(), updated_at = now(), last_seen_at = now()
     returning ${userColumns}`,
    [user.sub, user.username, user.email, user.name],
  );
  return rows[0]!;
}

/** The user's plan as the PreTokenGeneration trigger puts it in the token; null when there is no row yet. */
export async function planOf(db: Queryable, sub: string): Promise<string | null> {
  const { rows } = await db.query<{ plan: string }>('select plan from users where sub = $1', [sub]);
  return rows[0]?.plan ?? null;
}

/**
 * The registration of seed 003's body (ADR 0107): the new account's row with the names typed and the
 * moment the terms were accepted. The e-mail stays null until verified (ADR 0072); rows of unconfirmed
 * accounts the sign-up replaced go (they could never sign in, so nothing hangs off them).
 */
export async function recordRegistration(
  db: Queryable,
  user: { sub: string; firstName: string; lastName: string },
  replaced: string[],
): Promise<void> {
  if (replaced.length > 0)
    await db.query('delete from users where sub = any($1::text[]) and synced_at is null', [replaced]);
  await db.query(
    `insert into users (sub, username, first_name, last_name, terms_accepted_at) values ($1, $1, $2, $3, now())
     on conflict (sub) do update set first_name = excluded.first_name, last_name = excluded.last_name,
       terms_accepted_at = excluded.terms_accepted_at, updated_at = now()`,
    [user.sub, user.firstName, user.lastName],
  );
}

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly source: ProfileSource,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {}

  /**
   * The caller's profile. Access tokens carry no e-mail or name, so on first sight (and once a day)
   * the attributes are read from the IdP with the caller's own token; if that fails the profile is
   * served from the row (or the token alone) rather than failing the request.
   */
  async me(caller: Caller, now = new Date()): Promise<Me> {
    // The common case is one read; last_seen_at is only written once it is LAST_SEEN_EVERY_MS old.
    const { rows } = await this.db.query<SeenRow>(
      `select ${userColumns}, last_seen_at from users where sub = $1`,
      [caller.sub],
      { name: 'users_me' },
    );
    let row: UserRow | undefined = rows[0];
    if (rows[0] && now.getTime() - new Date(rows[0].last_seen_at).getTime() >= LAST_SEEN_EVERY_MS) {
      // The guard in SQL keeps concurrent requests of one user from writing twice.
      await this.db.query(
        `update users set last_seen_at = now()
         where sub = $1 and last_seen_at <= now() - make_interval(secs => $2)`,
        [caller.sub, LAST_SEEN_EVERY_MS / 1000],
      );
    }
    if (!row?.synced_at || now.getTime() - new Date(row.synced_at).getTime() > PROFILE_RESYNC_MS) {
      const profile = await this.source.getProfile(caller.accessToken).catch((err: unknown) => {
        this.log.warn(
          { err: { name: (err as Error).name } },
          'profile sync from the identity provider failed',
        );
        return null;
      });
      if (profile)
        row = await upsertSyncedUser(this.db, { sub: caller.sub, username: caller.username, ...profile });
      else row ??= await ensureUserRow(this.db, caller);
    }
    return {
      sub: row.sub,
      username: row.username,
      email: row.email,
      name: row.name,
      first_name: row.first_name,
      last_name: row.last_name,
      terms_accepted_at: row.terms_accepted_at ? new Date(row.terms_accepted_at).toISOString() : null,
      groups: caller.groups,
      created_at: new Date(row.created_at).toISOString(),
      ...(caller.plan ? { plan: caller.plan } : {}),
    };
  }
}
