import { createHmac, randomBytes } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { invalidParameter, notAuthorized, userNotFound } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { assertNotLockedOut, recordFailure } from '../users/lockout.ts';
import { checkSecretHash, findUser } from '../users/lookup.ts';
import { checkClientPublic, makeVerifier, startSrp, verifySrpClaim } from '../users/srp.ts';

type Params = Record<string, string>;

function need(params: Params, name: string): string {
  const v = params[name];
  if (!v) throw invalidParameter(`Missing required parameter ${name}`);
  return v;
}

const decoyVerifiers = new Map<string, Promise<{ verifierHex: string }>>();
const decoyVerifier = async (poolId: string) => {
  let v = decoyVerifiers.get(poolId);
  if (!v) {
    v = makeVerifier(poolId, 'decoy', randomBytes(16).toString('hex'));
    decoyVerifiers.set(poolId, v);
  }
  return (await v).verifierHex;
};

/** Stable per (pool, name) and unguessable without the data folder's key. */
function decoyIdentity(ctx: Ctx, poolId: string, username: string) {
  const mac = createHmac('sha256', ctx.decoyKey)
    .update(`${poolId}\0${username.trim().toLowerCase()}`)
    .digest('hex');
  const userId = `${mac.slice(0, 8)}-${mac.slice(8, 12)}-4${mac.slice(13, 16)}-a${mac.slice(17, 20)}-${mac.slice(20, 32)}`;
  return { userId, saltHex: mac.slice(32, 64) };
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
  };
  const expiresAt = ctx.clock() + challengeLifetimeMs;
  if (!user) {
    if (client.preventUserExistenceErrors !== 'ENABLED') throw userNotFound();
    // A decoy challenge: same work, a real group element as SRP_B, and a salt and USER_ID_FOR_SRP that
    // stay the same for the same name, so repeating the call reveals nothing. The answer is always
    // "Incorrect username or password."
    const decoy = decoyIdentity(ctx, pool.id, username);
    const serverSession = startSrp(await decoyVerifier(pool.id));
    ctx.challenges.put(secretBlock, { ...base, expiresAt });
    return {
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeParameters: {
        SALT: decoy.saltHex,
        SECRET_BLOCK: secretBlock,
        SRP_B: serverSession.B,
        USERNAME: decoy.userId,
        USER_ID_FOR_SRP: decoy.userId,
      },
    };
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  assertNotLockedOut(ctx, user);
  if (!user.srp)
    throw invalidParameter(
      'This user has no SRP verifier (its password was set before SRP was available); set the password again.',
    );
  const serverSession = startSrp(user.srp.verifierHex);
  ctx.challenges.put(secretBlock, { ...base, username: user.username, serverSession, expiresAt });
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: user.srp.saltHex,
      SECRET_BLOCK: secretBlock,
      SRP_B: serverSession.B,
      USERNAME: user.username,
      USER_ID_FOR_SRP: user.username,
    },
  };
}

/** USER_SRP_AUTH step 2: the PASSWORD_VERIFIER response; returns the user once the signature checks out. */
export async function verifySrpChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Params,
  admin: boolean,
): Promise<UserRecord> {
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
  if (!user || !challenge.serverSession || !user.srp) throw notAuthorized();
  if (findUser(pool, username) !== user) throw notAuthorized();
  if (!user.enabled) throw notAuthorized('User is disabled.');
  assertNotLockedOut(ctx, user);
  const ok = verifySrpClaim({
    poolId: pool.id,
    userIdForSrp: user.username,
    verifierHex: user.srp.verifierHex,
    saltHex: user.srp.saltHex,
    AHex: challenge.AHex,
    serverSession: challenge.serverSession,
    secretBlockB64: secretBlock,
    timestamp,
    signatureB64: signature,
  });
  if (!ok) {
    recordFailure(ctx, user);
    await ctx.store.commit();
    throw notAuthorized();
  }
  return user;
}
