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

/** The attributes the email and phone scopes grant (profile grants whatever the client can read). */
export const attributesOfScope: Record<string, string[]> = {
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
};

/**
 * Cognito's token endpoint answers invalid_grant when the "app client doesn't have read access to all
 * attributes in the requested scope" (its example: email requested, email readable, email_verified
 * not). A client without ReadAttributes reads every attribute.
 */
export function clientReadsScopes(client: ClientRecord, scope: string): boolean {
  const readable = client.readAttributes;
  if (!readable) return true;
  return scope
    .split(' ')
    .every((s) => (attributesOfScope[s] ?? []).every((attribute) => readable.includes(attribute)));
}
