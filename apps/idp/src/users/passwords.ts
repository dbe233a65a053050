import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { commonPasswords } from '@app/pool-definition/common-passwords';
import { type PasswordRuleId, passwordViolations } from '@app/pool-definition/password-policy';
import type { Ctx } from '../context.ts';
import { invalidParameter, invalidPassword } from '../protocol/errors.ts';
import type { PasswordPolicyRecord } from '../store/state.ts';

// N=2^14, r=8, p=1: ~50 ms a hash. Always the async form: scryptSync would stall every other request.
const params = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const keyLength = 32;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, params, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, , , , saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const decoyHash = hashPassword('decoy-password-for-timing');

/**
 * The one password check of sign-in and ChangePassword. With no stored hash (an unknown user) it runs
 * the same scrypt against a decoy hash and answers false, so both cost the same (ADR 0079).
 */
export async function passwordMatches(ctx: Ctx, password: string, stored: string | undefined) {
  ctx.onWork('password-check');
  const ok = await checkPassword(password, stored ?? (await decoyHash));
  return ok && stored !== undefined;
}

const cognitoWording: Record<PasswordRuleId, string> = {
  length: 'Password not long enough',
  lowercase: 'Password must have lowercase characters',
  uppercase: 'Password must have uppercase characters',
  numbers: 'Password must have numeric characters',
  symbols: 'Password must have symbol characters',
  // Not a Cognito policy rule: Cognito's nearest is threat protection's compromised-credentials
  // block; this IdP refuses the shared block list with its own wording (ADR 0131, README).
  common: 'Password is too common',
  edges: '',
  maxLength: '',
};

/**
 * Cognito's password checks (the shared rules of @app/pool-definition), with its answers: the
 * request pattern (length <= 256, no whitespace at either end) fails as InvalidParameterException,
 * the pool policy as InvalidPasswordException "Password did not conform with policy: ...".
 */
export function enforcePasswordPolicy(policy: PasswordPolicyRecord, password: string): void {
  const broken = passwordViolations(policy, password, commonPasswords).map((r) => r.id);
  if (broken.includes('maxLength'))
    throw invalidParameter(
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
  if (broken.includes('edges'))
    throw invalidParameter(
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
    );
  const first = broken[0];
  if (first) throw invalidPassword(`Password did not conform with policy: ${cognitoWording[first]}`);
}

/** A temporary password that satisfies any policy Cognito allows. */
export function generateTemporaryPassword(policy: PasswordPolicyRecord): string {
  const sets = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!#%+=?'];
  const all = sets.join('');
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  while (chars.length < Math.max(policy.minimumLength, 16)) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
