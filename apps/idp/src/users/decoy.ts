import { createHmac, randomBytes } from 'node:crypto';
import { normaliseEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { uuidV4 } from '../ids.ts';
import { codeLifetimeMs, issueCode } from './codes.ts';
import { makeVerifier } from './srp.ts';

/**
 * What an unknown user looks like when PreventUserExistenceErrors hides that it is unknown (ADR 0079):
 * a USER_ID_FOR_SRP shaped like a real sub (a v4 UUID from the same shaper) and a 16-byte salt, both
 * stable per (pool, normaliseEmail(name)) so repeated calls and look-alike spellings answer the same, as
 * Cognito's do, and unguessable without the data folder's key.
 */
export function decoyIdentity(ctx: Ctx, poolId: string, username: string) {
  const mac = createHmac('sha256', ctx.decoyKey)
    .update(`${poolId}\0${normaliseEmail(username)}`)
    .digest();
  return { userIdForSrp: uuidV4(mac.subarray(0, 16)), saltHex: mac.subarray(16, 32).toString('hex') };
}

const verifiers = new Map<string, Promise<string>>();

/** One SRP verifier per pool for decoy challenges: their SRP_B and claim check cost what a real one does. */
export function decoyVerifier(poolId: string): Promise<string> {
  let v = verifiers.get(poolId);
  if (!v) {
    v = makeVerifier(poolId, 'decoy', randomBytes(16).toString('hex')).then((m) => m.verifierHex);
    verifiers.set(poolId, v);
  }
  return v;
}

/**
 * The work a code-sending answer (ForgotPassword, ResendConfirmationCode) does for a real user, done
 * for an unknown one: a code is drawn and hashed, and the state is committed.
 */
export async function decoyCodeWork(ctx: Ctx) {
  issueCode(ctx, codeLifetimeMs.reset);
  await ctx.store.commit();
}
