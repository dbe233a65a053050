import { randomBytes } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { passwordFailed, recordAuthEvent } from '../events/auth-events.ts';
import { invalidParameter, notAuthorized, userNotFound } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { type Challenge, challengeLifetimeMs } from '../users/challenges.ts';
import { decoyIdentity, decoyVerifier } from '../users/decoy.ts';
import { assertNotLockedOut, beginPasswordAttempt, recordSuccess } from '../users/lockout.ts';
import { checkSecretHash, findUser } from '../users/lookup.ts';
import { checkClientPublic, startSrp, verifySrpClaim } from '../users/srp.ts';

type Params = Record<string, string>;
type PasswordVerifierChallenge = Extract<Challenge, { kind: 'PASSWORD_VERIFIER' }>;

/** A required AuthParameters / ChallengeResponses entry, with Cognito's message when missing. */
export function need(params: Params, name: string): string {
  const v = params[name];
  if (!v) throw invalidParameter(`Missing required parameter ${name}`);
  return v;
}

/**
 * USER_SRP_AUTH step 1: answer PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP (the
 * internal username). The SECRET_BLOCK is random and keys the server half of the exchange kept in memory;
 * Cognito's is an encrypted blob, but clients treat both as opaque.
 */
export async function startSrpChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Params,
  admin: boolean,
  /** CUSTOM_WITH_SRP: the custom-auth session the answer continues. */
  custom?: PasswordVerifierChallenge['custom'],
) {
  const username = need(params, 'USERNAME');
  const AHex = need(params, 'SRP_A');
  checkClientPublic(AHex);
  const user = findUser(pool, username);
  checkSecretHash(client, [username, user?.username], params.SECRET_HASH);
  const secretBlock = randomBytes(128).toString('base64');
  const base = {
    kind: 'PASSWORD_VERIFIER' as const,
    poolId: pool.id,
    clientId: client.clientId,
    AHex,
    admin,
    expiresAt: ctx.clock() + challengeLifetimeMs,
    ...(custom ? { custom } : {}),
  };
  if (!user) {
    if (client.preventUserExistenceErrors !== 'ENABLED') throw userNotFound();
    // A decoy challenge (ADR 0079): a real group element as SRP_B, a salt and USER_ID_FOR_SRP shaped like
    // real ones and stable per name; its claim is checked in step 2 like a real one, and always fails.
    const decoy = { ...decoyIdentity(ctx, pool.id, username), verifierHex: await decoyVerifier(pool.id) };
    const serverSession = await startSrp(ctx, decoy.verifierHex);
    ctx.challenges.put(secretBlock, { ...base, serverSession, decoy });
    return passwordVerifier(decoy, secretBlock, serverSession.B);
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  assertNotLockedOut(ctx, user);
  if (!user.srp)
    throw invalidParameter(
      'This user has no SRP verifier (its password was set before SRP was available); set the password again.',
    );
  const serverSession = await startSrp(ctx, user.srp.verifierHex);
  ctx.challenges.put(secretBlock, { ...base, username: user.username, serverSession });
  return passwordVerifier(
    { userIdForSrp: user.username, saltHex: user.srp.saltHex },
    secretBlock,
    serverSession.B,
  );
}

function passwordVerifier(id: { userIdForSrp: string; saltHex: string }, secretBlock: string, B: string) {
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: id.saltHex,
      SECRET_BLOCK: secretBlock,
      SRP_B: B,
      USERNAME: id.userIdForSrp,
      USER_ID_FOR_SRP: id.userIdForSrp,
    },
  };
}

/**
 * USER_SRP_AUTH step 2: the PASSWORD_VERIFIER response; returns the user once the signature checks
 * out, with the custom-auth session it continues (CUSTOM_WITH_SRP) if any.
 */
export async function verifySrpChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Params,
  admin: boolean,
): Promise<{ user: UserRecord; custom?: PasswordVerifierChallenge['custom'] }> {
  const username = need(responses, 'USERNAME');
  const secretBlock = need(responses, 'PASSWORD_CLAIM_SECRET_BLOCK');
  const signature = need(responses, 'PASSWORD_CLAIM_SIGNATURE');
  const timestamp = need(responses, 'TIMESTAMP');
  const challenge = ctx.challenges.take(secretBlock);
  if (
    challenge?.kind !== 'PASSWORD_VERIFIER' ||
    challenge.clientId !== client.clientId ||
    challenge.admin !== admin
  )
    throw notAuthorized('Invalid session for the user, session is expired.');
  const user = challenge.username ? pool.users[challenge.username] : undefined;
  checkSecretHash(client, [username, user?.username, user?.attributes.email], responses.SECRET_HASH);
  const claim = {
    poolId: pool.id,
    AHex: challenge.AHex,
    serverSession: challenge.serverSession,
    secretBlockB64: secretBlock,
    timestamp,
    signatureB64: signature,
  };
  if (!user?.srp) {
    // The decoy's claim is checked and the state committed, as for a real wrong password (ADR 0079).
    if (challenge.decoy) await verifySrpClaim(ctx, { ...claim, ...challenge.decoy });
    await ctx.store.commit();
    throw notAuthorized();
  }
  if (findUser(pool, username) !== user) throw notAuthorized();
  if (!user.enabled) throw notAuthorized('User is disabled.');
  beginPasswordAttempt(ctx, user);
  const ok = await verifySrpClaim(ctx, { ...claim, userIdForSrp: user.username, ...user.srp });
  if (!ok) {
    recordAuthEvent(ctx, pool, user, { type: 'SignIn', response: 'Fail', challenges: passwordFailed });
    await ctx.store.commit();
    throw notAuthorized();
  }
  recordSuccess(user);
  return { user, ...(challenge.custom ? { custom: challenge.custom } : {}) };
}
