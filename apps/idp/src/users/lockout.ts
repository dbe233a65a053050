import type { Ctx } from '../context.ts';
import { notAuthorized } from '../protocol/errors.ts';
import type { UserRecord } from '../store/state.ts';

/**
 * Cognito's lockout: five failed sign-ins are free; after that each failure locks the user out for a
 * time that starts at 1 second and doubles, up to about 15 minutes. A success resets the count.
 */
export const freeFailures = 5;
const maxLockMs = 15 * 60_000;

export function assertNotLockedOut(ctx: Ctx, user: UserRecord) {
  if (user.lockedUntil && ctx.clock() < user.lockedUntil) throw notAuthorized('Password attempts exceeded');
}

function recordFailure(ctx: Ctx, user: UserRecord) {
  user.failedSignIns++;
  if (user.failedSignIns >= freeFailures) {
    user.lockedUntil = ctx.clock() + Math.min(1000 * 2 ** (user.failedSignIns - freeFailures), maxLockMs);
  }
}

/**
 * Call before checking a password (plain or SRP): refuses a locked-out user, then counts the attempt
 * as a failure at once, synchronously, so that concurrent guesses see each other: only the first
 * `freeFailures` of a burst are ever evaluated, the rest answer "Password attempts exceeded"
 * (ADR 0079). A correct password then calls recordSuccess, which clears the count.
 */
export function beginPasswordAttempt(ctx: Ctx, user: UserRecord) {
  assertNotLockedOut(ctx, user);
  recordFailure(ctx, user);
}

export function recordSuccess(user: UserRecord) {
  user.failedSignIns = 0;
  user.lockedUntil = undefined;
}
