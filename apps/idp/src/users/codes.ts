import { createHash, timingSafeEqual } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { newCode } from '../ids.ts';
import { codeMismatch, expiredCode, limitExceeded } from '../protocol/errors.ts';
import type { CodeRecord } from '../store/state.ts';

/** Cognito's fixed lifetimes: sign-up (and attribute verification) codes 24 h, reset codes 1 h. */
export const codeLifetimeMs = { signup: 24 * 3600_000, reset: 3600_000, verification: 24 * 3600_000 };
/** Wrong guesses allowed per code before it is locked (LimitExceededException) until a new one is sent. */
export const maxCodeAttempts = 5;

const hashCode = (code: string) => createHash('sha256').update(code).digest();

export function issueCode(ctx: Ctx, lifetimeMs: number): { code: string; record: CodeRecord } {
  const code = newCode();
  return {
    code,
    record: {
      hash: hashCode(code).toString('base64'),
      expiresAt: ctx.clock() + lifetimeMs,
      failedAttempts: 0,
    },
  };
}

/**
 * Checks a code. Throws Cognito's errors: ExpiredCodeException for none/expired/used, LimitExceededException
 * after too many wrong guesses, CodeMismatchException (and counts the guess) for a wrong one. The caller
 * commits the store either way, so the count survives.
 */
export function checkCode(ctx: Ctx, record: CodeRecord | undefined, given: string): void {
  if (!record || ctx.clock() > record.expiresAt) throw expiredCode();
  if (record.failedAttempts >= maxCodeAttempts) throw limitExceeded();
  const expected = Buffer.from(record.hash, 'base64');
  const actual = hashCode(given);
  if (!timingSafeEqual(expected, actual)) {
    record.failedAttempts++;
    throw codeMismatch();
  }
}
