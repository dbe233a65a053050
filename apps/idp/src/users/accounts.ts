import type { Ctx } from '../context.ts';
import { newSub } from '../ids.ts';
import { checkAttributeValues, checkRequired } from '../pools/attribute-values.ts';
import { usernameExists } from '../protocol/errors.ts';
import { dict } from '../store/dict.ts';
import type { PoolRecord, UserRecord, UserStatus } from '../store/state.ts';
import { assertAliasesFree, checkUsernameForm } from './aliases.ts';
import { findUser, hasUsernameAttributes } from './lookup.ts';
import { enforcePasswordPolicy, hashPassword } from './passwords.ts';
import { makeVerifier } from './srp.ts';

/** Attribute values against the pool's schema (pools/attribute-values.ts). */
export const validateAttributes = checkAttributeValues;
export const checkRequiredAttributes = checkRequired;

/** Hash for USER_PASSWORD_AUTH plus the SRP verifier (over the internal username, as Cognito does). */
export async function passwordMaterial(pool: PoolRecord, username: string, password: string) {
  const [passwordHash, srp] = await Promise.all([
    hashPassword(password),
    makeVerifier(pool.id, username, password),
  ]);
  return { passwordHash, srp };
}

export interface NewUser {
  /** What the caller typed as Username: the e-mail in e-mail pools. */
  username: string;
  password: string;
  attributes: Record<string, string>;
  status: UserStatus;
  /** ForceAliasCreation: a verified alias another user holds moves to this one (alias pools). */
  forceAliasCreation?: boolean;
  /** False for UserMigration: Cognito takes the old directory's password without the pool's policy. */
  passwordPolicy?: boolean;
  /**
   * Runs before the user exists (the PreSignUp trigger): given the internal username and the
   * attributes, it may refuse by throwing. Awaited before the hashing and the check-then-insert.
   */
  beforeInsert?: (draft: {
    username: string;
    sub: string;
    attributes: Record<string, string>;
  }) => Promise<void>;
}

/**
 * Creates a user: validates the username form and policy, hashes outside any check-then-insert window,
 * then inserts synchronously so two concurrent sign-ups of one address cannot both succeed.
 */
export async function createUser(ctx: Ctx, pool: PoolRecord, input: NewUser): Promise<UserRecord> {
  const byAttribute = hasUsernameAttributes(pool);
  const attributes = dict(input.attributes);
  const usernameAttribute = checkUsernameForm(pool, input.username);
  if (usernameAttribute) attributes[usernameAttribute] = input.username;
  checkRequiredAttributes(pool, attributes);
  if (input.passwordPolicy !== false) enforcePasswordPolicy(pool.passwordPolicy, input.password);
  const sub = newSub();
  const username = byAttribute ? sub : input.username;
  await input.beforeInsert?.({ username, sub, attributes: { ...attributes } });
  const material = await passwordMaterial(pool, username, input.password);
  if (findUser(pool, input.username)) {
    throw usernameExists(
      usernameAttribute
        ? `An account with the given ${usernameAttribute} already exists.`
        : 'User already exists',
    );
  }
  if (byAttribute)
    for (const name of pool.usernameAttributes) {
      const other = attributes[name] !== undefined && findUser(pool, attributes[name]);
      if (other) throw usernameExists(`An account with the given ${name} already exists.`);
    }
  assertAliasesFree(pool, undefined, attributes, input.forceAliasCreation);
  const now = ctx.clock();
  const user: UserRecord = {
    username,
    sub,
    attributes,
    status: input.status,
    enabled: true,
    ...material,
    groups: [],
    createdAt: now,
    modifiedAt: now,
    failedSignIns: 0,
  };
  pool.users[username] = user;
  // The stored record as the store tracks it: later changes through it are written (ADR 0184).
  return pool.users[username]!;
}

export async function setPassword(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  password: string,
  status: UserStatus,
): Promise<void> {
  enforcePasswordPolicy(pool.passwordPolicy, password);
  const material = await passwordMaterial(pool, user.username, password);
  user.passwordHash = material.passwordHash;
  user.srp = material.srp;
  user.status = status;
  user.failedSignIns = 0;
  user.lockedUntil = undefined;
  user.temporaryPasswordExpiresAt =
    status === 'FORCE_CHANGE_PASSWORD'
      ? ctx.clock() + pool.passwordPolicy.temporaryPasswordValidityDays * 86400_000
      : undefined;
  user.modifiedAt = ctx.clock();
}
