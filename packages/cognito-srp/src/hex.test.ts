import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SrpInputError } from './errors.ts';
import { padHex, parseHex } from './hex.ts';
import { AuthenticationHelper, libBig } from './test-support/library.ts';

const helper = new AuthenticationHelper('x');

describe('padHex', () => {
  it('matches the library on documented and boundary values, both signs', () => {
    const values = [0n, 1n, 20n, 56n, 127n, 128n, 200n, 236n, 255n, 256n, 0x7fffn, 0x8000n, 0xffffn];
    for (const v of values) {
      for (const signed of v === 0n ? [v] : [v, -v]) {
        expect(padHex(signed), String(signed)).toBe(helper.padHex(libBig(signed)));
      }
    }
  });

  it('matches the library on random values of random sizes, both signs', () => {
    for (let i = 0; i < 200; i++) {
      const v = BigInt(`0x${randomBytes(randomInt(1, 48)).toString('hex')}`);
      const signed = i % 2 ? -v : v;
      expect(padHex(signed), String(signed)).toBe(helper.padHex(libBig(signed)));
    }
  });
});

describe('parseHex', () => {
  it('reads any case and leading zeros', () => {
    expect(parseHex('x', '00Ab')).toBe(0xabn);
  });

  it.each([[''], ['0x12'], ['12 34'], ['xyz'], ['-12']])('refuses %j with a typed error', (text) => {
    expect(() => parseHex('salt', text)).toThrow(SrpInputError);
    expect(() => parseHex('salt', text)).toThrow(/salt/);
  });
});
