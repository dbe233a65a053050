import { randomBytes, randomInt } from 'node:crypto';

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const lowerAlnum = 'abcdefghijklmnopqrstuvwxyz0123456789';

function pick(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `<region>_<9 alphanumerics>`, the form of real pool ids (amazon-cognito-identity-js checks it). */
export const newPoolId = (region: string) => `${region}_${pick(alnum, 9)}`;
/** 26 lowercase alphanumerics, like Cognito's app client ids. */
export const newClientId = () => pick(lowerAlnum, 26);
/** 51 lowercase alphanumerics, like Cognito's generated client secrets. */
export const newClientSecret = () => pick(lowerAlnum, 51);
/**
 * 16 bytes shaped as an RFC 9562 version-4 UUID (version nibble 4, variant bits 10), exactly as
 * crypto.randomUUID shapes its random bytes. Real subs and the decoy USER_ID_FOR_SRP of unknown users
 * both come from here, so the two cannot be told apart by their form (ADR 0079).
 */
export function uuidV4(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error('uuidV4 needs 16 bytes');
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
/** A user's sub: a random version-4 UUID, as Cognito's. */
export const newSub = () => uuidV4(randomBytes(16));
/** Six digits, as Cognito mails. */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
export const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

export const poolIdPattern = /^[\w-]+_[0-9a-zA-Z]+$/;
