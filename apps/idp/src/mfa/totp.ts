import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as Cognito uses it: SHA-1, 6 digits, 30-second steps, one step of drift either way. */
const period = 30;

/** A new per-user secret, base32 (52 characters: 32 random bytes, longer than Cognito's 16 minimum). */
export const newTotpSecret = () => new Secret({ size: 32 }).base32;

/**
 * The time step a code belongs to, or undefined when it matches none of the current step and its two
 * neighbours. Callers keep the last step accepted so a code is good only once.
 */
export function totpStep(secret: string, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period,
    timestamp: nowMs,
    window: 1,
  });
  return delta === null ? undefined : Math.floor(nowMs / 1000 / period) + delta;
}

/** The current code for a secret: for the test-only /_dev/totp helper and the tests. */
export const totpCode = (secret: string, nowMs: number) =>
  TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period,
    timestamp: nowMs,
  });
