import { e164, emailPattern } from '../pools/attribute-values.ts';
import { aliasExists, invalidParameter } from '../protocol/errors.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { findUser } from './lookup.ts';

/**
 * The username's form as Cognito checks it. Pools with UsernameAttributes take an e-mail and/or an
 * E.164 phone number (returned: the attribute it fills); alias pools refuse usernames shaped like an
 * alias they sign in with, so a username can never shadow another user's alias.
 */
export function checkUsernameForm(pool: PoolRecord, username: string): 'email' | 'phone_number' | undefined {
  const byEmail = pool.usernameAttributes.includes('email');
  const byPhone = pool.usernameAttributes.includes('phone_number');
  if (byEmail && emailPattern.test(username)) return 'email';
  if (byPhone && e164.test(username)) return 'phone_number';
  if (byEmail && byPhone) throw invalidParameter('Username should be either an email or a phone number.');
  if (byEmail) throw invalidParameter('Username should be an email.');
  if (byPhone) throw invalidParameter('Username should be a phone number.');
  const alias = pool.aliasAttributes ?? [];
  if (alias.includes('email') && emailPattern.test(username))
    throw invalidParameter(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  if (alias.includes('phone_number') && e164.test(username))
    throw invalidParameter(
      'Username cannot be of phone number format, since user pool is configured for phone number alias.',
    );
  return undefined;
}

/** The alias attributes `attributes` would make `user` (or a new user) answer to. */
function claimedAliases(pool: PoolRecord, attributes: Record<string, string | undefined>) {
  const alias = pool.aliasAttributes ?? [];
  const out: Array<{ name: string; value: string }> = [];
  for (const name of ['email', 'phone_number'] as const)
    if (alias.includes(name) && attributes[name] && attributes[`${name}_verified`] === 'true')
      out.push({ name, value: attributes[name] });
  if (alias.includes('preferred_username') && attributes.preferred_username)
    out.push({ name: 'preferred_username', value: attributes.preferred_username });
  return out;
}

/**
 * In alias pools an alias belongs to one user. A verified e-mail or phone number another user holds
 * answers AliasExistsException, unless `force` (ForceAliasCreation): then it moves here and the other
 * user's copy becomes unverified, so that user no longer signs in with it. preferred_username never moves.
 */
export function assertAliasesFree(
  pool: PoolRecord,
  user: UserRecord | undefined,
  attributes: Record<string, string | undefined>,
  force = false,
) {
  const moves: Array<{ other: UserRecord; name: string }> = [];
  for (const { name, value } of claimedAliases(pool, attributes)) {
    const other = findUser(pool, value);
    if (!other || other === user) continue;
    if (!force || name === 'preferred_username')
      throw aliasExists(`An account with the given ${name} already exists.`);
    moves.push({ other, name });
  }
  for (const { other, name } of moves) other.attributes[`${name}_verified`] = 'false';
}
