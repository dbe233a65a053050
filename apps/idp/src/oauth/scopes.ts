import { standardScopes } from '../operations/client-oauth.ts';
import { customScopes } from '../operations/resource-servers.ts';
import type { ClientRecord, PoolRecord } from '../store/state.ts';
import { OAuthError } from './http.ts';

/** Scopes of the client that still exist (a deleted resource server's scopes stop being granted). */
function activeClientScopes(pool: PoolRecord, client: ClientRecord): string[] {
  const custom = customScopes(pool);
  return (client.oauth?.scopes ?? []).filter((s) => standardScopes.includes(s) || custom.has(s));
}

const isCustom = (s: string) => !standardScopes.includes(s);

/**
 * The scopes a user sign-in through /oauth2/authorize gets: the requested ones (each allowed to the
 * client), or every scope of the client when none is requested. email, phone and profile need openid.
 */
export function userScopes(pool: PoolRecord, client: ClientRecord, requested: string | null): string {
  const allowed = activeClientScopes(pool, client);
  const asked = requested?.trim() ? [...new Set(requested.trim().split(/\s+/))] : allowed;
  for (const s of asked)
    if (!allowed.includes(s))
      throw new OAuthError('invalid_scope', `The scope ${s} is not allowed for this client.`);
  if (!asked.includes('openid') && asked.some((s) => ['email', 'phone', 'profile'].includes(s)))
    throw new OAuthError('invalid_scope', 'The email, phone and profile scopes require openid.');
  if (asked.length === 0) throw new OAuthError('invalid_scope', 'The client has no scopes.');
  return asked.join(' ');
}

/** client_credentials: resource-server scopes only; none requested means all of the client's. */
export function machineScopes(pool: PoolRecord, client: ClientRecord, requested: string | null): string {
  const allowed = activeClientScopes(pool, client).filter(isCustom);
  const asked = requested?.trim() ? [...new Set(requested.trim().split(/\s+/))] : allowed;
  for (const s of asked)
    if (!allowed.includes(s))
      throw new OAuthError('invalid_scope', `The scope ${s} is not allowed for this client.`);
  if (asked.length === 0) throw new OAuthError('invalid_scope', 'The client has no custom scopes.');
  return asked.join(' ');
}
