import type { Ctx } from '../context.ts';
import { notAuthorized, refreshTokenReuse } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, RetiredRefreshToken, SessionRecord } from '../store/state.ts';
import { hasTrigger } from '../triggers/invoke.ts';
import { preTokenGeneration } from '../triggers/pre-token.ts';
import { adminScope, hashRefreshToken, newRefreshToken, signTokens } from './issue.ts';

/** Rotated-out tokens remembered per session, so a late reuse is told apart from a made-up token. */
const keepRetired = 5;

export interface FoundRefresh {
  session: SessionRecord;
  /** Set when the token was replaced by rotation (still fine within its grace period). */
  retired?: RetiredRefreshToken;
}

export const rotates = (client: ClientRecord) => client.refreshTokenRotation?.feature === 'ENABLED';

/** The session a refresh token belongs to, for this client; Cognito's "Invalid Refresh Token" otherwise. */
export function findRefreshSession(ctx: Ctx, client: ClientRecord, token: string): FoundRefresh {
  const hash = hashRefreshToken(token);
  const jti = ctx.refreshIndex.get(hash);
  const session = jti ? ctx.store.state.sessions[jti] : undefined;
  if (!session || session.clientId !== client.clientId) throw notAuthorized('Invalid Refresh Token');
  if (hash === session.refreshTokenHash) return { session };
  const retired = session.retired?.find((r) => r.hash === hash);
  if (!retired) throw notAuthorized('Invalid Refresh Token');
  return { session, retired };
}

/**
 * New access and ID tokens from a refresh token (REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken, the
 * refresh_token grant). With rotation the token is replaced: the old one keeps working for the client's
 * grace period, then answers RefreshTokenReuseException. The session (origin_jti, auth_time, expiry) is
 * the same, so per-session revocation keeps working across rotations. Callers commit.
 */
export async function redeemRefreshToken(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  found: FoundRefresh,
  clientMetadata?: Record<string, string>,
) {
  const { session, retired } = found;
  const now = ctx.clock();
  if (session.revokedAt) throw notAuthorized('Refresh Token has been revoked');
  if (session.expiresAt < now) throw notAuthorized('Refresh Token has expired');
  if (retired && now >= retired.until) throw refreshTokenReuse();
  const user = pool.users[session.username];
  if (!user) throw notAuthorized('User does not exist.');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  // Only a pool with the trigger waits here, so refreshes without one stay free of interleaving.
  const custom = hasTrigger(pool, 'PreTokenGeneration')
    ? await preTokenGeneration(ctx, pool, client, {
        source: 'RefreshTokens',
        user,
        scopes: (session.scope ?? adminScope).split(' '),
        clientMetadata,
      })
    : undefined;
  if (session.revokedAt) throw notAuthorized('Refresh Token has been revoked');
  // Rotation happens before the signatures are awaited, so two refreshes with one token still see
  // each other's rotation as before.
  const signing = signTokens(ctx, pool, client, user, session, undefined, custom);
  if (!rotates(client)) return await signing;
  const RefreshToken = rotate(ctx, client, session);
  return { ...(await signing), RefreshToken };
}

function rotate(ctx: Ctx, client: ClientRecord, session: SessionRecord): string {
  const token = newRefreshToken();
  const grace = (client.refreshTokenRotation?.retryGracePeriodSeconds ?? 0) * 1000;
  const retired = [
    { hash: session.refreshTokenHash, until: ctx.clock() + grace },
    ...(session.retired ?? []),
  ];
  for (const dropped of retired.slice(keepRetired)) ctx.refreshIndex.delete(dropped.hash);
  session.retired = retired.slice(0, keepRetired);
  session.refreshTokenHash = hashRefreshToken(token);
  ctx.refreshIndex.set(session.refreshTokenHash, session.originJti);
  return token;
}
