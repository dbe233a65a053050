import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { g, k, N } from './group.ts';
import { modPowBigInt } from './modpow.ts';
import { createVerifier } from './server.ts';
import {
  AuthenticationHelper,
  BigInteger,
  call,
  fromLibBig,
  type LibBigInteger,
} from './test-support/library.ts';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

describe('group constants', () => {
  it('N, g and k equal the library helper’s', () => {
    const helper = new AuthenticationHelper('x') as unknown as {
      N: LibBigInteger;
      g: LibBigInteger;
      k: LibBigInteger;
    };
    expect(fromLibBig(helper.N)).toBe(N);
    expect(fromLibBig(helper.g)).toBe(g);
    expect(fromLibBig(helper.k)).toBe(k);
  });
});

describe('createVerifier', () => {
  const poolId = 'ap-south-1_Verif1er';
  const userIdForSrp = 'verifier-user';
  const password = 'pa55word with spaces';

  it('uses a random 16-byte salt', () => {
    const one = createVerifier({ poolId, userIdForSrp, password });
    const two = createVerifier({ poolId, userIdForSrp, password });
    expect(one.saltHex).toMatch(/^[0-9a-f]{32}$/);
    expect(one.saltHex).not.toBe(two.saltHex);
    expect(one.verifierHex).not.toBe(two.verifierHex);
  });

  it('gives the v the library computes in generateHashDevice style (g.modPow(H(padHex(salt) + H(...)), N))', async () => {
    const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
    const helper = new AuthenticationHelper('Verif1er');
    const salt = helper.padHex(new BigInteger(saltHex, 16));
    const x = new BigInteger(helper.hexHash(salt + helper.hash(`Verif1er${userIdForSrp}:${password}`)), 16);
    const v = await call<LibBigInteger>((cb) => helper.g.modPow(x, helper.N, cb));
    expect(BigInt(`0x${verifierHex}`)).toBe(fromLibBig(v));
  });

  it('gives the v of an independent BigInt computation', () => {
    const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
    // Independent padHex for a positive salt: even length, "00" if the top bit is set.
    let saltPadded = BigInt(`0x${saltHex}`).toString(16);
    if (saltPadded.length % 2) saltPadded = `0${saltPadded}`;
    if (/^[89a-f]/.test(saltPadded)) saltPadded = `00${saltPadded}`;
    const inner = sha256(`Verif1er${userIdForSrp}:${password}`);
    const x = BigInt(
      `0x${sha256(Buffer.concat([Buffer.from(saltPadded, 'hex'), Buffer.from(inner.toString('hex'), 'hex')])).toString('hex')}`,
    );
    expect(BigInt(`0x${verifierHex}`)).toBe(modPowBigInt(g, x, N));
  });
});
