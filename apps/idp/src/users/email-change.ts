import type { Ctx } from '../context.ts';
import { aliasExists } from '../protocol/errors.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { mailCode } from './code-mail.ts';
import { findUser, isEmailPool, keepsOriginal } from './lookup.ts';

/** Why a verification code goes out, and who asked: CustomMessage's source and context. */
export interface VerificationVia {
  source: 'UpdateUserAttribute' | 'VerifyUserAttribute';
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

/** A new e-mail must not be another account's (AliasExistsException, as Cognito answers). */
export function assertEmailFree(pool: PoolRecord, user: UserRecord, email: string) {
  if (!isEmailPool(pool)) return;
  const other = findUser(pool, email);
  if (other && other !== user) throw aliasExists('An account with the given email already exists.');
}

/**
 * A changed e-mail (ADR 0078). An admin setting email_verified=true with it applies it at once, with
 * no message. Otherwise a code goes to the new address and, in a pool that requires verification
 * before update, the new address only waits in `pendingEmail`: the old one stays the attribute (and
 * verified) for sign-in, lookups, GetUser and tokens, and the new one reserves nothing. Without that
 * setting the new address applies at once, unverified. Returns the code deliveries.
 */
export async function changeEmail(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  email: string,
  verifiedByAdmin: boolean,
  via: VerificationVia,
) {
  assertEmailFree(pool, user, email);
  if (verifiedByAdmin) {
    user.attributes.email = email;
    user.attributes.email_verified = 'true';
    user.pendingEmail = undefined;
    return [];
  }
  if (keepsOriginal(pool, 'email')) user.pendingEmail = email;
  else {
    user.attributes.email = email;
    user.attributes.email_verified = 'false';
  }
  return [await mailCode(ctx, pool, user, 'verification', via)];
}
