import { createDiffieHellman, type DiffieHellman } from 'node:crypto';
import { N } from './group.ts';
import { bigIntToBuffer, bufferToBigInt } from './hex.ts';

/**
 * One OpenSSL DH context over the SRP group, built with generator 2: (N, 2) is the known
 * RFC 3526 group and constructs in ~0.03 ms, while an arbitrary generator costs ~1.8 s per
 * construction (parameter checks; measured, ADR 0011). `computeSecret(base)` then returns base^privateKey mod N for any
 * base, so one context serves every exponentiation. Synchronous use only: the private key is
 * set and consumed within one call, so concurrent callers on the event loop cannot interleave.
 */
let context: DiffieHellman | undefined;

function groupContext(): DiffieHellman {
  context ??= createDiffieHellman(bigIntToBuffer(N), Buffer.from([2]));
  return context;
}

/**
 * base^exponent mod N (the SRP group prime) through OpenSSL's constant-time Montgomery ladder:
 * ~1 ms for a 256-bit exponent, ~3.4 ms for a 1024-bit one, ~20 ms for native BigInt.
 * OpenSSL refuses "public keys" 0, 1 and N-1 and a zero private key; those are answered here.
 */
export function modPowN(base: bigint, exponent: bigint): bigint {
  if (exponent < 0n) throw new RangeError('modPowN: negative exponent');
  const b = ((base % N) + N) % N;
  if (exponent === 0n) return 1n;
  if (b === 0n || b === 1n) return b;
  if (b === N - 1n) return exponent % 2n === 0n ? 1n : b;

  const dh = groupContext();
  dh.setPrivateKey(bigIntToBuffer(exponent));
  // The output is zero-padded to N's length; leading zeros vanish when read as a number.
  return bufferToBigInt(dh.computeSecret(bigIntToBuffer(b)));
}

/** Plain square-and-multiply with native BigInt, for any modulus: the reference and bench baseline. */
export function modPowBigInt(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus <= 0n) throw new RangeError('modPowBigInt: modulus must be positive');
  if (exponent < 0n) throw new RangeError('modPowBigInt: negative exponent');
  if (modulus === 1n) return 0n;
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}
