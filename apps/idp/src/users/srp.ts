/**
 * The one door to SRP math, which lives in @app/cognito-srp (never re-implemented here). The server's
 * modexps (~3–10 ms each, once per sign-in step) run on the IdP's worker threads (ctx.srp, ADR 0185).
 */
import {
  assertValidClientPublic,
  createVerifier,
  type DeviceIdentity,
  type ServerSession,
  SrpError,
  type VerifyClaimInput,
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

export function startSrp(ctx: Ctx, verifierHex: string): Promise<ServerSession> {
  return ctx.srp.run('start', verifierHex);
}

/** False for a wrong secret and for any malformed claim (bad base64, bad timestamp...). */
async function claimHolds(claim: Promise<boolean>): Promise<boolean> {
  try {
    return await claim;
  } catch (err) {
    if (err instanceof SrpError) return false;
    throw err;
  }
}

/** PASSWORD_VERIFIER's claim; false for a wrong password. */
export function verifySrpClaim(ctx: Ctx, input: VerifyClaimInput): Promise<boolean> {
  ctx.onWork('srp-verify');
  return claimHolds(ctx.srp.run('verifyPassword', input));
}

type DeviceClaimInput = Omit<VerifyClaimInput, 'poolId' | 'userIdForSrp'> & DeviceIdentity;

/** DEVICE_PASSWORD_VERIFIER's claim; false for a wrong device secret. */
export function verifyDeviceSrpClaim(ctx: Ctx, input: DeviceClaimInput): Promise<boolean> {
  ctx.onWork('srp-verify');
  return claimHolds(ctx.srp.run('verifyDevice', input));
}
