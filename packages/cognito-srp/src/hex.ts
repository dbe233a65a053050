import { SrpInputError } from './errors.ts';

const HEX = /^[0-9a-f]+$/i;
/** Same test as the library's HEX_MSB_REGEX: the first nibble has its top bit set. */
const MSB_SET = /^[89a-f]/i;

/**
 * Longest hex accepted by default: room for a 3072-bit value with generous leading zeros. Caps the
 * work a hostile SRP_A can cause (every value is hashed and multiplied at full length).
 */
export const MAX_HEX_LENGTH = 1024;

/**
 * Parses a non-empty hex string (any case, leading zeros allowed) into a non-negative bigint,
 * the way the library's `new BigInteger(hex, 16)` reads Cognito's values.
 */
export function parseHex(name: string, hex: unknown, maxLength = MAX_HEX_LENGTH): bigint {
  if (typeof hex !== 'string' || hex.length === 0) {
    throw new SrpInputError(`${name} must be a non-empty hex string`);
  }
  if (hex.length > maxLength) {
    throw new SrpInputError(`${name} is too long (at most ${maxLength} hex digits)`);
  }
  if (!HEX.test(hex)) {
    throw new SrpInputError(`${name} must contain only hex digits (0-9, a-f)`);
  }
  return BigInt(`0x${hex}`);
}

/** Minimal even-length lowercase hex of a non-negative bigint ("0" -> "00"). */
export function toEvenHex(value: bigint): string {
  const hex = value.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

/**
 * Mirror of AuthenticationHelper.padHex: the hex of Java's BigInteger.toByteArray(), i.e. the
 * minimal two's-complement encoding. Positive values whose top bit is set get a "00" prefix;
 * negative values are inverted + 1, dropping a redundant "ff" before an "8" nibble.
 * Every hash input in Cognito's SRP goes through this, so it must match byte for byte.
 */
export function padHex(value: bigint): string {
  const negative = value < 0n;
  let hex = toEvenHex(negative ? -value : value);
  if (MSB_SET.test(hex)) hex = `00${hex}`;
  if (!negative) return hex;

  const inverted = [...hex]
    .map((nibble) => ((~Number.parseInt(nibble, 16) & 0xf) >>> 0).toString(16))
    .join('');
  hex = (BigInt(`0x${inverted}`) + 1n).toString(16);
  if (hex.toUpperCase().startsWith('FF8')) hex = hex.substring(2);
  return hex;
}

export function bigIntToBuffer(value: bigint): Buffer {
  return Buffer.from(toEvenHex(value), 'hex');
}

export function bufferToBigInt(buf: Uint8Array): bigint {
  return buf.length === 0 ? 0n : BigInt(`0x${Buffer.from(buf).toString('hex')}`);
}
