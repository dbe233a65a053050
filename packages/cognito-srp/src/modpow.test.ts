import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { N } from './group.ts';
import { modPowN } from './modpow.ts';

/** Independent right-to-left square-and-multiply, written here so the test does not trust modpow.ts. */
function reference(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

const random = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);

describe('modPowN', () => {
  it('equals square-and-multiply on random bases and exponents', () => {
    for (let i = 0; i < 6; i++) {
      const base = random(randomInt(1, 420)); // below and above N (384 bytes)
      const exponent = random(randomInt(1, 160));
      expect(modPowN(base, exponent)).toBe(reference(base, exponent, N));
    }
  });

  it('handles the edges OpenSSL refuses or that need care', () => {
    const cases: Array<[bigint, bigint]> = [
      [2n, 0n],
      [N + 5n, 0n],
      [0n, 7n],
      [N, 7n],
      [1n, random(128)],
      [N + 1n, 3n],
      [N - 1n, 3n],
      [N - 1n, 4n],
      [-3n, 5n],
      [N - 2n, 1n],
      [2n, 1n],
      [3n, N + 12345n],
    ];
    for (const [base, exponent] of cases) {
      expect(modPowN(base, exponent), `${base} ^ ${exponent}`).toBe(reference(base, exponent, N));
    }
  });

  it('keeps results with leading zero bytes intact', () => {
    // 2^e for small e is a short number inside OpenSSL's zero-padded 384-byte output.
    for (const e of [1n, 8n, 100n, 3000n]) expect(modPowN(2n, e)).toBe(2n ** e % N);
  });

  it('refuses a negative exponent', () => {
    expect(() => modPowN(2n, -1n)).toThrow(RangeError);
  });
});
