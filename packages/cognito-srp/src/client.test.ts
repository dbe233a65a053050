import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computePasswordClaim, startClientSession } from './client.ts';
import { g, N } from './group.ts';
import { modPowBigInt } from './modpow.ts';
import { createVerifier, startServerSession } from './server.ts';
import { libraryClaim, libraryStartWithA } from './test-support/library-client.ts';

const poolId = 'eu-west-1_SameA1234';

afterEach(() => {
  vi.useRealTimers();
});

describe('startClientSession', () => {
  it('returns a fresh a each time and A = g^a mod N', () => {
    const one = startClientSession();
    const two = startClientSession();
    expect(one.a).not.toBe(two.a);
    expect(BigInt(`0x${one.A}`)).toBe(modPowBigInt(g, BigInt(`0x${one.a}`), N));
  });
});

describe('secret exponents (ADR 0200)', () => {
  it('draws a and b as 256 random bits: none larger, not all far smaller', () => {
    const { verifierHex } = createVerifier({ poolId, userIdForSrp: 'someone', password: 'pw' });
    for (const draw of [() => startClientSession().a, () => startServerSession(verifierHex).b]) {
      const values = Array.from({ length: 8 }, () => BigInt(`0x${draw()}`));
      for (const v of values) expect(v < 1n << 256n).toBe(true);
      // all eight below 2^248 by chance: 2^-64
      expect(values.some((v) => v >= 1n << 248n)).toBe(true);
    }
  });
});

describe('computePasswordClaim against the library with the same a', () => {
  it.each([
    ['a single-digit day', '2026-11-03T04:05:06Z'],
    ['a two-digit day', '2026-12-25T23:59:09Z'],
  ])('produces the identical signature and timestamp (%s)', async (_label, iso) => {
    const now = new Date(iso);
    const userIdForSrp = 'c0ffee00-1111-2222-3333-444455556666';
    const password = 'S4me-a, same claim';
    const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
    const srpBHex = startServerSession(verifierHex).B;
    const secretBlockB64 = randomBytes(96).toString('base64');
    const session = startClientSession();

    const mine = computePasswordClaim({
      poolId,
      userIdForSrp,
      password,
      saltHex,
      srpBHex,
      secretBlockB64,
      session,
      now,
    });

    // Align the library helper on our a; it recomputes A itself so the A it hashes is its own.
    const { helper, srpA } = await libraryStartWithA(poolId, session.a);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    const theirs = await libraryClaim(helper, {
      poolId,
      userIdForSrp,
      password,
      saltHex,
      srpBHex,
      secretBlockB64,
    });

    expect(srpA).toBe(session.A);
    expect(mine.timestamp).toBe(theirs.timestamp);
    expect(mine.signatureB64).toBe(theirs.signatureB64);
  });

  it('agrees with the library when the salt has leading zeros or its top bit set', async () => {
    const userIdForSrp = 'salty';
    const password = 'pepper and salt';
    const session = startClientSession();
    const now = new Date('2026-01-01T00:00:00Z');
    const srpBHex = startServerSession(createVerifier({ poolId, userIdForSrp, password }).verifierHex).B;
    for (const saltHex of [`00${randomBytes(15).toString('hex')}`, `f${randomBytes(15).toString('hex')}0`]) {
      const mine = computePasswordClaim({
        poolId,
        userIdForSrp,
        password,
        saltHex,
        srpBHex,
        secretBlockB64: 'AAEC',
        session,
        now,
      });
      const { helper } = await libraryStartWithA(poolId, session.a);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(now);
      const theirs = await libraryClaim(helper, {
        poolId,
        userIdForSrp,
        password,
        saltHex,
        srpBHex,
        secretBlockB64: 'AAEC',
      });
      vi.useRealTimers();
      expect(mine.signatureB64).toBe(theirs.signatureB64);
    }
  });
});
