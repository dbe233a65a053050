import { randomBytes } from 'node:crypto';
import { SrpInputError, SrpProtocolError } from './errors.ts';
import { N } from './group.ts';
import { cognitoHkdf, hexHash, hmacSha256, sha256Hex } from './hash.ts';
import { padHex, parseHex } from './hex.ts';

/** Pieces of Cognito's SRP-6a shared by the client and the server halves. */

const POOL_ID = /^[A-Za-z0-9-]+_[A-Za-z0-9]+$/;

/**
 * The "pool name" Cognito mixes into x and the signature: the part of the pool id after '_'
 * ("us-east-1_AbCdEf123" -> "AbCdEf123"), as CognitoUserPool.getUserPoolName() computes it.
 */
export function poolNameFromId(poolId: string): string {
  if (typeof poolId !== 'string' || !POOL_ID.test(poolId)) {
    throw new SrpInputError('poolId must look like "<region>_<id>", e.g. "us-east-1_AbCdEf123"');
  }
  return poolId.split('_')[1]!;
}

export function requireText(name: string, value: unknown, maxLength = 4096): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new SrpInputError(`${name} must be a non-empty string`);
  }
  if (value.length > maxLength)
    throw new SrpInputError(`${name} is too long (at most ${maxLength} characters)`);
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Cognito's SECRET_BLOCK is a ~1–2 KB opaque blob; anything far larger is not one. */
export const MAX_BASE64_LENGTH = 16_384;

/** Strict standard base64 (what Cognito sends and what Buffer#toString('base64') writes). */
export function decodeBase64(name: string, value: unknown): Buffer {
  if (typeof value !== 'string' || value.length === 0 || !BASE64.test(value)) {
    throw new SrpInputError(`${name} must be non-empty standard base64`);
  }
  if (value.length > MAX_BASE64_LENGTH) {
    throw new SrpInputError(`${name} is too long (at most ${MAX_BASE64_LENGTH} characters)`);
  }
  return Buffer.from(value, 'base64');
}

/**
 * Bytes of a secret exponent (a, b): 32 = 256 bits, RFC 5054's "SHOULD be at least 256 bits" and
 * NIST SP 800-56A rev. 3's 2s bits for the 128-bit-strength 3072-bit group (ADR 0200). The peer
 * cannot tell: amazon-cognito-identity-js keeps its own 128-byte a and still talks to our b.
 */
export const SECRET_EXPONENT_BYTES = 32;

/** A random secret exponent of SECRET_EXPONENT_BYTES bytes. */
export function randomExponent(): bigint {
  return BigInt(`0x${randomBytes(SECRET_EXPONENT_BYTES).toString('hex')}`);
}

/** Parses a peer's public value (A or B) and refuses value ≡ 0 mod N, as SRP-6a requires. */
export function parsePublicValue(name: 'A' | 'B', hex: unknown): bigint {
  const value = parseHex(name, hex);
  if (value % N === 0n) throw new SrpProtocolError(`Illegal parameter: ${name} mod N cannot be 0`);
  return value;
}

/** Salt as the library reads it: a hex number, re-encoded with padHex (so "00ab.." and "ab.." agree). */
export function parseSalt(saltHex: unknown): bigint {
  return parseHex('salt', saltHex, 256);
}

/** x = H(padHex(salt) + H(poolName + userIdForSrp + ":" + password)). */
export function computeX(poolName: string, userIdForSrp: string, password: string, salt: bigint): bigint {
  const inner = sha256Hex(`${poolName}${userIdForSrp}:${password}`);
  return BigInt(`0x${hexHash(padHex(salt) + inner)}`);
}

/** u = H(padHex(A) + padHex(B)); u = 0 would make the password irrelevant, so it is refused. */
export function computeU(A: bigint, B: bigint): bigint {
  const u = BigInt(`0x${hexHash(padHex(A) + padHex(B))}`);
  if (u === 0n) throw new SrpProtocolError('Illegal parameter: u cannot be 0');
  return u;
}

/** The 16-byte key both sides derive from S, salted with u (both through padHex). */
export function deriveKey(S: bigint, u: bigint): Buffer {
  return cognitoHkdf(Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'));
}

/** PASSWORD_CLAIM_SIGNATURE bytes: HMAC-SHA256(key, poolName + userIdForSrp + SECRET_BLOCK bytes + TIMESTAMP). */
export function claimSignature(
  key: Uint8Array,
  poolName: string,
  userIdForSrp: string,
  secretBlock: Uint8Array,
  timestamp: string,
): Buffer {
  const message = Buffer.concat([
    Buffer.from(poolName, 'utf8'),
    Buffer.from(userIdForSrp, 'utf8'),
    secretBlock,
    Buffer.from(timestamp, 'utf8'),
  ]);
  return hmacSha256(key, message);
}
