import { createHash, randomUUID } from 'node:crypto';
import { seconds } from '../clock.ts';
import { type Ctx, issuerOf } from '../context.ts';
import { identitiesClaim } from '../federation/users.ts';
import { opaque } from '../ids.ts';
import type { ClientRecord, PoolRecord, SessionRecord, UserRecord } from '../store/state.ts';
import { customiseAccessClaims, customiseIdClaims, type TokenCustomisation } from '../triggers/pre-token.ts';
import { groupsOf } from '../users/shape.ts';
import { signJwt } from './jwt.ts';

export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Refresh tokens are opaque; this one looks like Cognito's (a JWE compact string) but is random. */
export function newRefreshToken(): string {
  const header = Buffer.from(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })).toString(
    'base64url',
  );
  return [header, opaque(256), opaque(12), opaque(384), opaque(16)].join('.');
}

export function lifetimes(ctx: Ctx, client: ClientRecord) {
  return {
    access: ctx.tokenValidityOverride.access ?? client.tokenValidity.accessSeconds,
    id: ctx.tokenValidityOverride.id ?? client.tokenValidity.idSeconds,
    refresh: client.tokenValidity.refreshSeconds,
  };
}

/** ID-token attributes: every user attribute, with the *_verified ones as booleans as Cognito emits them. */
function idTokenAttributes(user: UserRecord) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(user.attributes)) {
    out[k] = k === 'identities' ? identitiesClaim(v) : k.endsWith('_verified') ? v === 'true' : v;
  }
  return out;
}

/** The scope API sign-ins get; OAuth sessions carry the scopes they were granted. */
export const adminScope = 'aws.cognito.signin.user.admin';

/** OIDC's at_hash: the left half of the SHA-256 of the access token, base64url. */
const atHash = (accessToken: string) =>
  createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

/**
 * Signs the access and ID tokens of one sign-in session (new or refreshed). OAuth sessions (with a
 * scope) get an ID token only with `openid`, and it carries at_hash and, on the first issue, the nonce.
 * Only the RSA signatures are awaited (ADR 0201): both at once, except that an OAuth ID token's
 * at_hash needs the access token first (its claims are then read after that signature).
 */
export async function signTokens(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  session: SessionRecord,
  nonce?: string,
  custom?: TokenCustomisation,
) {
  const life = lifetimes(ctx, client);
  const iat = seconds(ctx.clock());
  const iss = issuerOf(ctx, pool.id);
  // A PreTokenGeneration group override replaces the groups in both tokens.
  const groups = custom?.groups ?? groupsOf(pool, user);
  const eventId = randomUUID();
  const withGroups = groups.length > 0 ? { 'cognito:groups': groups } : {};
  const accessClaims = customiseAccessClaims(
    {
      sub: user.sub,
      // The tracked device the session signed in on, as Cognito's access tokens name it.
      ...(session.deviceKey ? { device_key: session.deviceKey } : {}),
      ...withGroups,
      iss,
      // Cognito's access tokens carry the token format version.
      version: 2,
      client_id: client.clientId,
      origin_jti: session.originJti,
      event_id: eventId,
      token_use: 'access',
      scope: session.scope ?? adminScope,
      auth_time: seconds(session.authTime),
      exp: iat + life.access,
      iat,
      jti: randomUUID(),
      username: user.username,
    },
    custom,
  );
  const signedAccess = signJwt(ctx.keys.access, accessClaims);
  const oauth = session.scope !== undefined;
  if (oauth && !session.scope!.split(' ').includes('openid'))
    return { AccessToken: await signedAccess, ExpiresIn: life.access, TokenType: 'Bearer' };
  const idClaims = (hash?: string) =>
    customiseIdClaims(
      {
        ...(hash ? { at_hash: hash } : {}),
        sub: user.sub,
        ...withGroups,
        ...idTokenAttributes(user),
        iss,
        'cognito:username': user.username,
        origin_jti: session.originJti,
        aud: client.clientId,
        event_id: eventId,
        token_use: 'id',
        auth_time: seconds(session.authTime),
        exp: iat + life.id,
        iat,
        ...(nonce ? { nonce } : {}),
        jti: randomUUID(),
      },
      custom,
    );
  // at_hash needs the access token first; otherwise the two signatures run side by side.
  const [access, id] = oauth
    ? await signedAccess.then(async (a) => [a, await signJwt(ctx.keys.id, idClaims(atHash(a)))] as const)
    : await Promise.all([signedAccess, signJwt(ctx.keys.id, idClaims())]);
  return {
    AccessToken: access,
    IdToken: id as string | undefined,
    ExpiresIn: life.access,
    TokenType: 'Bearer',
  };
}

/**
 * A fresh sign-in: a new session (origin_jti) with its refresh token, and the first access/ID tokens.
 * `oauth` is set for sign-ins through the managed login (granted scopes, the OIDC nonce, auth_time).
 * The session is in the state when it returns; the tokens follow.
 */
export async function issueNewSession(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  oauth?: { scope: string; nonce?: string; authTime: number },
  custom?: TokenCustomisation,
  deviceKey?: string,
) {
  const refreshToken = newRefreshToken();
  const now = ctx.clock();
  const session: SessionRecord = {
    originJti: randomUUID(),
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    refreshTokenHash: hashRefreshToken(refreshToken),
    authTime: oauth?.authTime ?? now,
    expiresAt: now + lifetimes(ctx, client).refresh * 1000,
    ...(oauth ? { scope: oauth.scope } : {}),
    ...(deviceKey ? { deviceKey } : {}),
  };
  ctx.store.state.sessions[session.originJti] = session;
  ctx.refreshIndex.set(session.refreshTokenHash, session.originJti);
  if (++issuedSincePrune >= pruneEvery) {
    issuedSincePrune = 0;
    pruneSessions(ctx);
  }
  return {
    ...(await signTokens(ctx, pool, client, user, session, oauth?.nonce, custom)),
    RefreshToken: refreshToken,
  };
}

/** Revokes every session of a user (GlobalSignOut, AdminUserGlobalSignOut, deletion). */
export function revokeUserSessions(ctx: Ctx, poolId: string, username: string) {
  const now = ctx.clock();
  for (const s of Object.values(ctx.store.state.sessions)) {
    if (s.poolId === poolId && s.username === username && !s.revokedAt) s.revokedAt = now;
  }
}

/** Revoked sessions are kept this long so their tokens answer "has been revoked" rather than "invalid". */
const keepRevokedMs = 86400_000;
const pruneEvery = 200;
let issuedSincePrune = 0;

/**
 * Drops sessions nothing can use any more: expired refresh tokens, and revocations older than the
 * longest access-token lifetime (a missing session reads as revoked anyway). Keeps state.json small.
 */
export function pruneSessions(ctx: Ctx) {
  const now = ctx.clock();
  const sessions = ctx.store.state.sessions;
  for (const [k, s] of Object.entries(sessions)) {
    if (s.expiresAt < now || (s.revokedAt !== undefined && s.revokedAt + keepRevokedMs < now)) {
      delete sessions[k];
      ctx.refreshIndex.delete(s.refreshTokenHash);
      for (const r of s.retired ?? []) ctx.refreshIndex.delete(r.hash);
    }
  }
}

export function rebuildRefreshIndex(ctx: Ctx) {
  ctx.refreshIndex.clear();
  for (const s of Object.values(ctx.store.state.sessions)) {
    ctx.refreshIndex.set(s.refreshTokenHash, s.originJti);
    for (const r of s.retired ?? []) ctx.refreshIndex.set(r.hash, s.originJti);
  }
}

export function sessionByRefreshToken(ctx: Ctx, token: string): SessionRecord | undefined {
  const jti = ctx.refreshIndex.get(hashRefreshToken(token));
  return jti ? ctx.store.state.sessions[jti] : undefined;
}
