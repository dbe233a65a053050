import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { invalidPassword } from '../protocol/errors.ts';
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

/** Spend the same time as a real check, so an unknown user answers as slowly as a wrong password. */
const decoy = hashPassword('decoy-password-for-timing');
export async function burnPasswordCheck(password: string): Promise<void> {
  await checkPassword(password, await decoy);
}

const symbols = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Cognito's password policy checks, with its messages ("Password did not conform with policy: ..."). */
export function enforcePasswordPolicy(policy: PasswordPolicyRecord, password: string): void {
  const fail = (why: string) => invalidPassword(`Password did not conform with policy: ${why}`);
  if (password.length < policy.minimumLength) throw fail('Password not long enough');
  if (password.length > 256) throw fail('Password too long');
  if (policy.requireLowercase && !/[a-z]/.test(password))
    throw fail('Password must have lowercase characters');
  if (policy.requireUppercase && !/[A-Z]/.test(password))
    throw fail('Password must have uppercase characters');
  if (policy.requireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  if (policy.requireSymbols && !symbols.test(password)) throw fail('Password must have symbol characters');
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
