import { createHash, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { UserRecord } from '../store/state.ts';
import { assertNotLockedOut, freeFailures } from '../users/lockout.ts';

export const hashOf = (code: string) => createHash('sha256').update(code).digest('base64');

export const sameCode = (hash: string, given: string) =>
  timingSafeEqual(Buffer.from(hash, 'base64'), createHash('sha256').update(given).digest());

/** Cognito's answer to a wrong MFA code. */
export const mfaCodeMismatch = () =>
  new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');

const maxLockMs = 15 * 60_000;

/**
 * Counts an MFA code attempt before it is checked (as the password lockout does, ADR 0079), on a count
 * of its own that a right password does not clear: five wrong codes lock the user out like five wrong
 * passwords (1 s, doubling, at most 15 min), and signing in again with the password does not buy new
 * guesses. A right code clears it (mfaAttemptSucceeded).
 */
export function beginMfaAttempt(ctx: Ctx, user: UserRecord) {
  assertNotLockedOut(ctx, user);
  user.mfa ??= { enabled: [] };
  const n = (user.mfa.failedCodes ?? 0) + 1;
  user.mfa.failedCodes = n;
  if (n >= freeFailures) user.lockedUntil = ctx.clock() + Math.min(1000 * 2 ** (n - freeFailures), maxLockMs);
}

export function mfaAttemptSucceeded(user: UserRecord) {
  if (user.mfa) user.mfa.failedCodes = 0;
  user.lockedUntil = undefined;
}
