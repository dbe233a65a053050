import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import type { ChallengeAnswer } from '../mfa/challenge.ts';
import { askFor, startMfa } from '../mfa/challenge.ts';
import type { MfaFactor } from '../mfa/challenge-types.ts';
import { invalidParameter, notAuthorized } from '../protocol/errors.ts';
import { type Input, str, strMap } from '../protocol/params.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import {
  answerCustomChallenge,
  type CustomAuthHistory,
  type CustomAuthStep,
  defineNext,
  requireCustomAuth,
} from '../triggers/custom-auth.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { checkSecretHash, findUser, hasFlow, missingUserError } from '../users/lookup.ts';
import { completeSignIn } from './auth-complete.ts';
import { need, startSrpChallenge } from './auth-srp.ts';

/**
 * The next turn of the loop: tokens once DefineAuthChallenge says so (custom auth skips
 * PreAuthentication and MFA, as Cognito's does), SRP's PASSWORD_VERIFIER when it asks for the
 * password (CUSTOM_WITH_SRP), or the custom challenge CreateAuthChallenge made.
 */
async function proceed(ctx: Ctx, step: CustomAuthStep) {
  const next = await defineNext(ctx, step);
  if (next.kind === 'challenge') return next.response;
  if (next.kind === 'mfa') {
    const who = {
      poolId: step.pool.id,
      clientId: step.client.clientId,
      username: next.user.username,
      admin: step.admin,
    };
    const asked = await askFor(
      ctx,
      step.pool,
      next.user,
      who,
      next.factor,
      { custom: { history: step.history } },
      step.clientMetadata,
    );
    await ctx.store.commit();
    return asked;
  }
  if (next.kind === 'password') {
    const verifier = await startSrpChallenge(ctx, step.pool, step.client, step.srp!, step.admin, {
      history: step.history,
    });
    // The SECRET_BLOCK keys the step; the Session is there for clients that pass one back.
    return { ...verifier, Session: opaque(192) };
  }
  return completeSignIn(ctx, step.pool, step.client, next.user, step.admin, {
    source: 'Authentication',
    clientMetadata: step.clientMetadata,
    mfaDone: true,
  });
}

/**
 * InitiateAuth CUSTOM_AUTH: the first DefineAuthChallenge turn (InitiateAuth's ClientMetadata is not
 * passed). With `CHALLENGE_NAME: SRP_A` and `SRP_A` (Amplify's CUSTOM_WITH_SRP) the session starts
 * with `{SRP_A, true}`. An unknown name runs the triggers with `userNotFound` when the client hides
 * existence errors, and is UserNotFoundException otherwise.
 */
export async function customSignIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
  admin: boolean,
) {
  if (!hasFlow(client, 'CUSTOM_AUTH')) throw invalidParameter('CUSTOM_AUTH flow not enabled for this client');
  requireCustomAuth(pool);
  const username = need(params, 'USERNAME');
  const user = findUser(pool, username);
  checkSecretHash(client, [username, user?.username], params.SECRET_HASH);
  const withSrp = params.CHALLENGE_NAME === 'SRP_A' || params.SRP_A !== undefined;
  if (withSrp) need(params, 'SRP_A');
  if (!user && client.preventUserExistenceErrors !== 'ENABLED') {
    await ctx.store.commit();
    throw missingUserError(client);
  }
  if (user && !user.enabled) throw notAuthorized('User is disabled.');
  const history: CustomAuthHistory = withSrp ? [{ challengeName: 'SRP_A', challengeResult: true }] : [];
  return proceed(ctx, {
    pool,
    client,
    user,
    userName: user?.username ?? username,
    admin,
    history,
    ...(withSrp ? { srp: params } : {}),
  });
}

/** RespondToAuthChallenge CUSTOM_CHALLENGE: Verify, then Define again. */
export async function respondCustomChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  input: Input,
  admin: boolean,
) {
  const responses = strMap(input, 'ChallengeResponses');
  const username = need(responses, 'USERNAME');
  checkSecretHash(client, [username, findUser(pool, username)?.username], responses.SECRET_HASH);
  const step = await answerCustomChallenge(ctx, pool, client, {
    session: str(input, 'Session'),
    typed: username,
    answer: need(responses, 'ANSWER'),
    admin,
    clientMetadata: clientMetadataOf(input),
  });
  return proceed(ctx, step);
}

/** Stores the custom-auth session on the MFA challenge just issued, so the code's answer continues it. */
function carryCustom(ctx: Ctx, asked: ChallengeAnswer, history: CustomAuthHistory) {
  const pending = ctx.challenges.take(asked.Session);
  if (pending?.kind === 'MFA') ctx.challenges.put(asked.Session, { ...pending, custom: { history } });
}

/**
 * CUSTOM_WITH_SRP: the password checked out. A user who has MFA gets Cognito's MFA challenge first
 * (Define is not asked in between); then, or at once, Define hears `{PASSWORD_VERIFIER, true}`.
 */
export async function continueAfterPassword(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  admin: boolean,
  custom: { history: CustomAuthHistory },
  clientMetadata?: Record<string, string>,
) {
  const history = [...custom.history, { challengeName: 'PASSWORD_VERIFIER', challengeResult: true }];
  const mfa = await startMfa(ctx, pool, client, user, admin, false, clientMetadata);
  if (mfa) {
    carryCustom(ctx, mfa, history);
    await ctx.store.commit();
    return mfa;
  }
  return proceed(ctx, { pool, client, user, userName: user.username, admin, history, clientMetadata });
}

/** The MFA step of a custom-auth sign-in was answered: Define hears `{<factor>, true}` and decides. */
export function continueAfterMfa(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  admin: boolean,
  done: { factor: MfaFactor; custom: { history: CustomAuthHistory } },
  clientMetadata?: Record<string, string>,
) {
  const history = [...done.custom.history, { challengeName: done.factor, challengeResult: true }];
  return proceed(ctx, { pool, client, user, userName: user.username, admin, history, clientMetadata });
}
