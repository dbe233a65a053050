import type { Ctx } from '../context.ts';
import { aliasExists, invalidParameter } from '../protocol/errors.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { type CodeVia, mailCode } from './code-mail.ts';
import { findUser, keepsOriginal } from './lookup.ts';

/** The attributes a user can verify with a code, and Cognito's refusal of any other. */
export function verifiableAttribute(name: string): 'email' | 'phone_number' {
  if (name === 'email' || name === 'phone_number') return name;
  throw invalidParameter('Invalid attribute name. Only phone_number and email can be verified.');
}

/** GetUserAttributeVerificationCode for phone_number: a text message with the code (ADR 0198). */
export function textPhoneCode(ctx: Ctx, pool: PoolRecord, user: UserRecord, via: CodeVia) {
  if (!user.attributes.phone_number) throw invalidParameter('User does not have a phone_number attribute.');
  return mailCode(ctx, pool, user, 'verification', via, 'phone_number');
}

/** In a phone-number username pool a new number must not be another account's (checked before storing). */
export function assertPhoneFree(pool: PoolRecord, user: UserRecord, phone: string) {
  if (!pool.usernameAttributes.includes('phone_number')) return;
  const other = findUser(pool, phone);
  if (other && other !== user) throw aliasExists('An account with the given phone_number already exists.');
}

/**
 * A changed phone number (UpdateUserAttributes / AdminUpdateUserAttributes; not yet stored). In a
 * pool that requires verification before update the new number only waits in `pendingPhone`: the
 * old one stays the attribute, verified, for sign-in and tokens. Otherwise it applies at once,
 * unverified until its code comes back. The code is texted when the pool auto-verifies phone_number,
 * as Cognito does. Returns the code deliveries.
 */
export async function changePhone(ctx: Ctx, pool: PoolRecord, user: UserRecord, phone: string, via: CodeVia) {
  user.phoneVerificationCode = undefined;
  if (keepsOriginal(pool, 'phone_number')) user.pendingPhone = phone;
  else {
    user.attributes.phone_number = phone;
    user.attributes.phone_number_verified = 'false';
  }
  if (!pool.autoVerifiedAttributes.includes('phone_number')) return [];
  return [await mailCode(ctx, pool, user, 'verification', via, 'phone_number')];
}
