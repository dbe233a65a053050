import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computePasswordClaim, startClientSession } from './client.ts';
import { SrpError, SrpInputError, SrpProtocolError } from './errors.ts';
import { N } from './group.ts';
import {
  assertValidClientPublic,
  createVerifier,
  startServerSession,
  verifyPasswordClaim,
} from './server.ts';

const poolId = 'us-west-2_BadInput1';
const userIdForSrp = 'eve';
const password = 'bad inputs only';
const { saltHex, verifierHex } = createVerifier({ poolId, userIdForSrp, password });
const serverSession = startServerSession(verifierHex);
const session = startClientSession();
const secretBlockB64 = randomBytes(32).toString('base64');

const claimInput = {
  poolId,
  userIdForSrp,
  password,
  saltHex,
  srpBHex: serverSession.B,
  secretBlockB64,
  session,
};
const verifyInput = {
  poolId,
  userIdForSrp,
  verifierHex,
  saltHex,
  AHex: session.A,
  serverSession,
  secretBlockB64,
  ...computePasswordClaim(claimInput),
};

function expectError(
  fn: () => unknown,
  type: typeof SrpInputError | typeof SrpProtocolError,
  message: RegExp,
) {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(type);
  expect(caught).toBeInstanceOf(SrpError);
  expect((caught as Error).message).toMatch(message);
}

describe('client half refuses bad input', () => {
  it('non-hex B', () => {
    expectError(
      () => computePasswordClaim({ ...claimInput, srpBHex: 'zz12' }),
      SrpInputError,
      /B must contain only hex/,
    );
  });

  it('B ≡ 0 mod N, like the library', () => {
    for (const B of ['0', N.toString(16), (2n * N).toString(16)]) {
      expectError(
        () => computePasswordClaim({ ...claimInput, srpBHex: B }),
        SrpProtocolError,
        /B mod N cannot be 0/,
      );
    }
  });

  it('empty salt', () => {
    expectError(
      () => computePasswordClaim({ ...claimInput, saltHex: '' }),
      SrpInputError,
      /salt must be a non-empty/,
    );
  });

  it('bad pool id, secret block or missing password', () => {
    expectError(() => computePasswordClaim({ ...claimInput, poolId: 'nopool' }), SrpInputError, /poolId/);
    expectError(
      () => computePasswordClaim({ ...claimInput, secretBlockB64: 'not base64!' }),
      SrpInputError,
      /secretBlock/,
    );
    expectError(() => computePasswordClaim({ ...claimInput, password: '' }), SrpInputError, /password/);
  });
});

describe('server half refuses bad input', () => {
  it('accepts the untouched claim (so the cases below fail for their own reason)', () => {
    expect(verifyPasswordClaim(verifyInput)).toBe(true);
  });

  it('A ≡ 0 mod N', () => {
    for (const A of ['00', N.toString(16), (3n * N).toString(16)]) {
      expectError(
        () => verifyPasswordClaim({ ...verifyInput, AHex: A }),
        SrpProtocolError,
        /A mod N cannot be 0/,
      );
      expectError(() => assertValidClientPublic(A), SrpProtocolError, /A mod N cannot be 0/);
    }
  });

  it('non-hex A, verifier or salt; empty salt', () => {
    expectError(
      () => verifyPasswordClaim({ ...verifyInput, AHex: 'A=1' }),
      SrpInputError,
      /A must contain only hex/,
    );
    expectError(() => verifyPasswordClaim({ ...verifyInput, verifierHex: 'g' }), SrpInputError, /verifier/);
    expectError(
      () => verifyPasswordClaim({ ...verifyInput, saltHex: '' }),
      SrpInputError,
      /salt must be a non-empty/,
    );
    expectError(() => startServerSession('xyz'), SrpInputError, /verifier/);
  });

  it('malformed signature, secret block or timestamp', () => {
    expectError(
      () => verifyPasswordClaim({ ...verifyInput, signatureB64: '%%%' }),
      SrpInputError,
      /signatureB64/,
    );
    expectError(
      () => verifyPasswordClaim({ ...verifyInput, secretBlockB64: '' }),
      SrpInputError,
      /secretBlockB64/,
    );
    expectError(() => verifyPasswordClaim({ ...verifyInput, timestamp: '' }), SrpInputError, /timestamp/);
  });

  it('oversized values (a hostile client cannot make the server hash megabytes)', () => {
    const huge = `1${'0'.repeat(5000)}`;
    expectError(() => verifyPasswordClaim({ ...verifyInput, AHex: huge }), SrpInputError, /A is too long/);
    expectError(() => assertValidClientPublic(huge), SrpInputError, /A is too long/);
    expectError(
      () => verifyPasswordClaim({ ...verifyInput, secretBlockB64: 'AAAA'.repeat(5000) }),
      SrpInputError,
      /secretBlockB64 is too long/,
    );
    expectError(
      () => computePasswordClaim({ ...claimInput, saltHex: 'a'.repeat(300) }),
      SrpInputError,
      /salt is too long/,
    );
  });

  it('a well-formed but wrong signature is simply false', () => {
    const other = Buffer.from(verifyInput.signatureB64, 'base64');
    other[0] = (other[0] ?? 0) ^ 1;
    expect(verifyPasswordClaim({ ...verifyInput, signatureB64: other.toString('base64') })).toBe(false);
    expect(verifyPasswordClaim({ ...verifyInput, signatureB64: 'AAAA' })).toBe(false);
  });

  it('createVerifier refuses an empty password or user', () => {
    expectError(() => createVerifier({ poolId, userIdForSrp, password: '' }), SrpInputError, /password/);
    expectError(() => createVerifier({ poolId, userIdForSrp: '', password }), SrpInputError, /userIdForSrp/);
  });
});
