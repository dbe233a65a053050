import type { Ctx } from '../context.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { assertAliasesFree } from './aliases.ts';
import { checkCode } from './codes.ts';
import { assertEmailFree } from './email-change.ts';
import { assertPhoneFree } from './phone-change.ts';

/** Where each verifiable attribute keeps its code and a pending new value, and who may not share it. */
const slots = {
  email: { pending: 'pendingEmail', code: 'emailVerificationCode', assertFree: assertEmailFree },
  phone_number: { pending: 'pendingPhone', code: 'phoneVerificationCode', assertFree: assertPhoneFree },
} as const;

/**
 * VerifyUserAttribute: checks the code (the caller commits the count), refuses a value another user
 * holds as a verified alias or username, makes a pending new value the attribute (ADR 0078 for
 * e-mail, ADR 0198 for phone numbers), and marks it verified.
 */
export function verifyAttributeCode(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  attribute: 'email' | 'phone_number',
  code: string,
) {
  const slot = slots[attribute];
  checkCode(ctx, user[slot.code], code);
  const pending = user[slot.pending];
  assertAliasesFree(pool, user, {
    [attribute]: pending ?? user.attributes[attribute],
    [`${attribute}_verified`]: 'true',
  });
  if (pending) {
    slot.assertFree(pool, user, pending);
    user.attributes[attribute] = pending;
    user[slot.pending] = undefined;
  }
  user.attributes[`${attribute}_verified`] = 'true';
  user[slot.code] = undefined;
  user.modifiedAt = ctx.clock();
}
