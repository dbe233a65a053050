import { timingSafeEqual } from 'node:crypto';
import { secretHash } from '@app/cognito-srp';
import { normaliseEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { notAuthorized, resourceNotFound, userNotFound } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { indexedCandidates } from '../store/user-index.ts';

export function poolById(ctx: Ctx, poolId: string): PoolRecord {
  const pool = ctx.store.state.pools[poolId];
  if (!pool) throw resourceNotFound(`User pool ${poolId} does not exist.`);
  return pool;
}

export function clientById(ctx: Ctx, clientId: string): { client: ClientRecord; pool: PoolRecord } {
  const client = ctx.store.state.clients[clientId];
  const pool = client && ctx.store.state.pools[client.userPoolId];
  if (!client || !pool) throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  return { client, pool };
}

export const isEmailPool = (pool: PoolRecord) => pool.usernameAttributes.includes('email');

/** Whether the pool keeps an attribute's old value until a new one is verified (AttributesRequireVerificationBeforeUpdate). */
export const keepsOriginal = (pool: PoolRecord, attribute: 'email' | 'phone_number') =>
  pool.attributesRequireVerificationBeforeUpdate?.includes(attribute) ?? false;

/** Pools whose username is an e-mail and/or phone number: the internal username is the sub. */
export const hasUsernameAttributes = (pool: PoolRecord) => pool.usernameAttributes.length > 0;

/**
 * Whether `user` answers to `name` through a sign-in attribute of the pool: a username attribute
 * (e-mail compared through normaliseEmail, ADR 0078; phone number exactly), or an alias — e-mail and
 * phone number only once verified, preferred_username always (Cognito's alias rules).
 */
function answersTo(pool: PoolRecord, user: UserRecord, name: string, emailKey: string): boolean {
  const a = user.attributes;
  const nameKey = caseKey(pool, name);
  const alias = pool.aliasAttributes ?? [];
  const byEmail = a.email !== undefined && normaliseEmail(a.email) === emailKey;
  if (isEmailPool(pool) && byEmail) return true;
  if (pool.usernameAttributes.includes('phone_number') && a.phone_number === name) return true;
  if (alias.includes('email') && byEmail && a.email_verified === 'true') return true;
  if (alias.includes('phone_number') && a.phone_number === name && a.phone_number_verified === 'true')
    return true;
  return (
    alias.includes('preferred_username') &&
    a.preferred_username !== undefined &&
    caseKey(pool, a.preferred_username) === nameKey
  );
}

/** UsernameConfiguration CaseSensitive false: usernames and preferred_username compare ignoring case. */
export const caseInsensitive = (pool: PoolRecord) => pool.usernameCaseSensitive === false;

/** How a username or preferred_username compares in this pool (the stored value keeps its case). */
export const caseKey = (pool: PoolRecord, name: string) =>
  caseInsensitive(pool) ? name.toLowerCase() : name;

/**
 * Finds a user by what a client typed: the internal username (the sub in pools with username
 * attributes), or one of the pool's sign-in attributes (answersTo), so look-alike spellings of an
 * e-mail find the one account; in case-insensitive pools any capitalisation of the username.
 */
export function findUser(pool: PoolRecord, name: string): UserRecord | undefined {
  const direct = pool.users[name];
  if (direct) return direct;
  const folded = caseInsensitive(pool);
  if (!folded && !hasUsernameAttributes(pool) && !pool.aliasAttributes?.length) return undefined;
  const emailKey = normaliseEmail(name);
  const nameKey = name.toLowerCase();
  // Federated profiles share addresses with native users (Cognito keeps them apart): never found by alias.
  // The store's index narrows the scan to the few users holding that e-mail, phone, preferred name or
  // (case-insensitive pools) username; with more than one the scan keeps the pool's order.
  const candidates = indexedCandidates(pool, name, emailKey);
  for (const u of candidates && candidates.length <= 1 ? candidates : Object.values(pool.users)) {
    if (folded && u.username.toLowerCase() === nameKey) return u;
    if (u.status !== 'EXTERNAL_PROVIDER' && answersTo(pool, u, name, emailKey)) return u;
  }
  return undefined;
}

/** Admin operations always say whether the user exists. */
export function adminUser(pool: PoolRecord, name: string): UserRecord {
  const user = findUser(pool, name);
  if (!user) throw userNotFound();
  return user;
}

/**
 * The error for "no such user" on a client-facing operation: with PreventUserExistenceErrors ENABLED it
 * must look like a wrong password; LEGACY reveals it.
 */
export function missingUserError(client: ClientRecord) {
  return client.preventUserExistenceErrors === 'ENABLED' ? notAuthorized() : userNotFound();
}

/**
 * The client's SECRET_HASH over `username`, or undefined when the client has no secret or the name is
 * empty or huge (the shared secretHash refuses those; no client can have hashed them).
 */
export function clientSecretHash(client: ClientRecord, username: string | undefined): string | undefined {
  if (!client.clientSecret || !username || username.length > 4096) return undefined;
  return secretHash(username, client.clientId, client.clientSecret);
}

/**
 * SECRET_HASH is required for clients with a secret and checked like Cognito: HMAC-SHA256(secret,
 * username + clientId). Any of `usernames` (what the client typed, the internal username) may be the one
 * it was computed over.
 */
export function checkSecretHash(client: ClientRecord, usernames: Array<string | undefined>, given?: string) {
  if (!client.clientSecret) return;
  if (!given)
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  const givenBuf = Buffer.from(given);
  for (const name of new Set(usernames)) {
    const hash = clientSecretHash(client, name);
    if (!hash) continue;
    const expected = Buffer.from(hash);
    if (expected.length === givenBuf.length && timingSafeEqual(expected, givenBuf)) return;
  }
  throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

/** A client secret sent as such (GetTokensFromRefreshToken, the OAuth endpoints), not as a hash. */
export function checkClientSecret(client: ClientRecord, given: string | undefined) {
  if (!client.clientSecret) return;
  if (!given)
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  const a = Buffer.from(given);
  const b = Buffer.from(client.clientSecret);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

/**
 * Whether a client may use an auth flow. Clients with the legacy names (no ALLOW_ prefix) keep what
 * Cognito gave every client before those existed: SRP (unless CUSTOM_AUTH_FLOW_ONLY) and refresh.
 */
export function hasFlow(client: ClientRecord, flow: string) {
  const flows = client.explicitAuthFlows;
  if (flows.includes(`ALLOW_${flow}`) || flows.includes(flow)) return true;
  if (flows.length === 0 || flows.some((f) => f.startsWith('ALLOW_'))) return false;
  const customOnly = flows.includes('CUSTOM_AUTH_FLOW_ONLY');
  if (flow === 'REFRESH_TOKEN_AUTH') return true;
  if (flow === 'USER_SRP_AUTH') return !customOnly;
  return flow === 'CUSTOM_AUTH' && customOnly;
}
