import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import { maskEmail } from '../mail/mailbox.ts';
import { askFor, issue } from '../mfa/challenge.ts';
import { startAssertion } from '../mfa/webauthn.ts';
import { invalidParameter, notAuthorized, userNotFound } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { preAuthentication } from '../triggers/authentication.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { checkSecretHash, findUser } from '../users/lookup.ts';
import { completeSignIn } from './auth-complete.ts';
import { allowedFirstFactors, firstFactorsOf } from './auth-factors.ts';
import { verifyPassword } from './auth-password.ts';
import { need, startSrpChallenge } from './auth-srp.ts';

type Params = Record<string, string>;

const expired = () => notAuthorized('Invalid session for the user, session is expired.');

interface Attempt {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord | undefined;
  typed: string;
  admin: boolean;
  clientMetadata?: Record<string, string>;
}

/**
 * A first factor chosen (PREFERRED_CHALLENGE or SELECT_CHALLENGE's ANSWER): PASSWORD signs in at once
 * (then MFA, as any password sign-in), PASSWORD_SRP answers PASSWORD_VERIFIER, EMAIL_OTP mails a code
 * and answers EMAIL_OTP, WEB_AUTHN answers with passkey request options (both passwordless: no MFA
 * after them). Unknown users get the same steps as decoys.
 */
async function answerChoice(ctx: Ctx, a: Attempt, choice: string, params: Params) {
  const { pool, client, user, admin } = a;
  if (choice === 'PASSWORD') {
    const verified = await verifyPassword(ctx, client, user, need(params, 'PASSWORD'));
    return completeSignIn(ctx, pool, client, verified, admin, {
      source: 'Authentication',
      clientMetadata: a.clientMetadata,
    });
  }
  if (choice === 'PASSWORD_SRP')
    return startSrpChallenge(ctx, pool, client, { ...params, USERNAME: a.typed }, admin);
  if (choice === 'EMAIL_OTP') {
    const who = { poolId: pool.id, clientId: client.clientId, admin };
    let answer: ReturnType<typeof issue>;
    if (user)
      answer = await askFor(
        ctx,
        pool,
        user,
        { ...who, username: user.username },
        'EMAIL_OTP',
        { firstFactor: true },
        a.clientMetadata,
      );
    else
      answer = issue(
        ctx,
        { ...who, username: '' },
        'EMAIL_OTP',
        { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: maskEmail(a.typed) },
        { firstFactor: true, decoy: true },
      );
    await ctx.store.commit();
    return answer;
  }
  if (choice === 'WEB_AUTHN' && user) return startAssertion(ctx, pool, client, user, admin);
  throw invalidParameter(`Invalid ANSWER: ${choice}`);
}

/**
 * InitiateAuth / AdminInitiateAuth with USER_AUTH: the preferred first factor when the user has it,
 * else SELECT_CHALLENGE listing AvailableChallenges.
 */
export async function startUserAuth(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Params,
  admin: boolean,
  validationData?: Record<string, string>,
) {
  const typed = need(params, 'USERNAME');
  const user = findUser(pool, typed);
  checkSecretHash(client, [typed, user?.username], params.SECRET_HASH);
  await preAuthentication(ctx, pool, client, { user, username: typed }, validationData);
  if (!user && client.preventUserExistenceErrors !== 'ENABLED') throw userNotFound();
  if (user && !user.enabled) throw notAuthorized('User is disabled.');
  const available = user ? firstFactorsOf(pool, user) : decoyFactors(pool);
  const attempt: Attempt = { pool, client, user, typed, admin };
  const preferred = params.PREFERRED_CHALLENGE;
  if (preferred && available.includes(preferred)) return answerChoice(ctx, attempt, preferred, params);
  const session = opaque(192);
  ctx.challenges.put(session, {
    kind: 'SELECT_CHALLENGE',
    poolId: pool.id,
    clientId: client.clientId,
    username: user?.username,
    typed,
    available,
    admin,
    expiresAt: ctx.clock() + challengeLifetimeMs,
  });
  return {
    ChallengeName: 'SELECT_CHALLENGE',
    Session: session,
    ChallengeParameters: {},
    AvailableChallenges: available,
  };
}

/** What an unknown user is offered: what a user with a verified e-mail and no passkey would be. */
function decoyFactors(pool: PoolRecord) {
  return allowedFirstFactors(pool)
    .flatMap((f) => (f === 'PASSWORD' ? ['PASSWORD', 'PASSWORD_SRP'] : [f]))
    .filter((f) => f === 'PASSWORD' || f === 'PASSWORD_SRP' || f === 'EMAIL_OTP');
}

/** RespondToAuthChallenge with SELECT_CHALLENGE: ANSWER names one of AvailableChallenges. */
export async function respondSelectChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Params,
  session: string,
  admin: boolean,
  clientMetadata?: Record<string, string>,
) {
  const c = ctx.challenges.take(session);
  if (c?.kind !== 'SELECT_CHALLENGE' || c.clientId !== client.clientId || c.admin !== admin) throw expired();
  const user = c.username ? pool.users[c.username] : undefined;
  if (c.username && !user) throw expired();
  const typed = need(responses, 'USERNAME');
  checkSecretHash(client, [typed, c.typed, user?.username, user?.attributes.email], responses.SECRET_HASH);
  if (user ? findUser(pool, typed) !== user : typed !== c.typed) throw expired();
  const answer = need(responses, 'ANSWER');
  if (!c.available.includes(answer)) {
    ctx.challenges.put(session, c);
    throw invalidParameter(
      `Invalid ANSWER: ${answer}; the available challenges are ${c.available.join(', ')}.`,
    );
  }
  return answerChoice(ctx, { pool, client, user, typed: c.typed, admin, clientMetadata }, answer, responses);
}
