/**
 * The one door to SRP math, which lives in @app/cognito-srp (never re-implemented here). Its functions
 * are synchronous OpenSSL-backed modexps (~10 ms each); they are called once per sign-in step.
 */
import {
  assertValidClientPublic,
  createVerifier,
  type ServerSession,
  SrpError,
  startServerSession,
  type VerifyClaimInput,
  verifyPasswordClaim,
} from '@app/cognito-srp';
import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';

export type { ServerSession };

export async function makeVerifier(poolId: string, userIdForSrp: string, password: string) {
  return createVerifier({ poolId, userIdForSrp, password });
}

/** Rejects an SRP_A that is malformed or ≡ 0 mod N before any work is done for it. */
export function checkClientPublic(AHex: string) {
  try {
    assertValidClientPublic(AHex);
  } catch (err) {
    if (err instanceof SrpError) throw invalidParameter(`SRP_A is invalid: ${err.message}`);
    throw err;
  }
}

export function startSrp(verifierHex: string): ServerSession {
  return startServerSession(verifierHex);
}

/** False for a wrong password and for any malformed claim (bad base64, bad timestamp...). */
export function verifySrpClaim(ctx: Ctx, input: VerifyClaimInput): boolean {
  ctx.onWork('srp-verify');
  try {
    return verifyPasswordClaim(input);
  } catch (err) {
    if (err instanceof SrpError) return false;
    throw err;
  }
}
