import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computePasswordClaim, startClientSession } from './client.ts';
import { createVerifier, startServerSession, verifyPasswordClaim } from './server.ts';
import { libraryClaim, libraryStart } from './test-support/library-client.ts';

const poolId = 'us-east-1_Interop42';
const secretBlockB64 = () => randomBytes(64).toString('base64');

describe('amazon-cognito-identity-js as client, this package as server', () => {
  it.each([
    ['ascii', 'd3b07384-d9a0-4c9b-8f7e-1234567890ab', 'Correct horse battery 9!'],
    ['unicode', 'ünïcødé-user', 'pässwörd ✓ 密码'],
  ])('accepts the password claim the library computes (%s)', async (_label, userIdForSrp, password) => {
    const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
    const { helper, srpA } = await libraryStart(poolId);
    const serverSession = startServerSession(verifierHex);
    const block = secretBlockB64();

    const claim = await libraryClaim(helper, {
      poolId,
      userIdForSrp,
      password,
      saltHex,
      srpBHex: serverSession.B,
      secretBlockB64: block,
    });
    const verify = (signatureB64: string, timestamp = claim.timestamp) =>
      verifyPasswordClaim({
        poolId,
        userIdForSrp,
        verifierHex,
        saltHex,
        AHex: srpA,
        serverSession,
        secretBlockB64: block,
        timestamp,
        signatureB64,
      });

    expect(verify(claim.signatureB64)).toBe(true);
    // The signature covers the timestamp: a replay with another time fails.
    expect(verify(claim.signatureB64, `${claim.timestamp} `)).toBe(false);
  });

  it('refuses the library claim for a wrong password', async () => {
    const userIdForSrp = 'alice';
    const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password: 'right password 1' });
    const { helper, srpA } = await libraryStart(poolId);
    const serverSession = startServerSession(verifierHex);
    const block = secretBlockB64();
    const claim = await libraryClaim(helper, {
      poolId,
      userIdForSrp,
      password: 'wrong password 1',
      saltHex,
      srpBHex: serverSession.B,
      secretBlockB64: block,
    });
    const ok = verifyPasswordClaim({
      poolId,
      userIdForSrp,
      verifierHex,
      AHex: srpA,
      serverSession,
      secretBlockB64: block,
      timestamp: claim.timestamp,
      signatureB64: claim.signatureB64,
    });
    expect(ok).toBe(false);
  });
});

describe('this package as client and server', () => {
  it('accepts the right password and refuses a wrong one, another user or another pool', () => {
    const userIdForSrp = 'bob@example.com';
    const password = 'another Secret 7';
    const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
    const block = secretBlockB64();

    const attempt = (claimPool: string, claimUser: string, claimPassword: string) => {
      const client = startClientSession();
      const serverSession = startServerSession(verifierHex);
      const claim = computePasswordClaim({
        poolId: claimPool,
        userIdForSrp: claimUser,
        password: claimPassword,
        saltHex,
        srpBHex: serverSession.B,
        secretBlockB64: block,
        session: client,
      });
      return verifyPasswordClaim({
        poolId,
        userIdForSrp,
        verifierHex,
        saltHex,
        AHex: client.A,
        serverSession,
        secretBlockB64: block,
        ...claim,
      });
    };

    expect(attempt(poolId, userIdForSrp, password)).toBe(true);
    expect(attempt(poolId, userIdForSrp, `${password}x`)).toBe(false);
    expect(attempt(poolId, 'mallory@example.com', password)).toBe(false);
    expect(attempt('us-east-1_OtherPool', userIdForSrp, password)).toBe(false);
  });
});
