import type { Ctx } from '../context.ts';
import { invalidParameter, notAuthorized } from '../protocol/errors.ts';
import { type Input, str, strMap } from '../protocol/params.ts';
import type { ClientRecord, PoolRecord } from '../store/state.ts';
import {
  answerCustomChallenge,
  type CustomAuthStep,
  defineNext,
  requireCustomAuth,
} from '../triggers/custom-auth.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { checkSecretHash, findUser, hasFlow, missingUserError } from '../users/lookup.ts';
import { completeSignIn, param } from './auth.ts';

/** Tokens once DefineAuthChallenge says so (custom auth skips PreAuthentication and MFA, as Cognito's does). */
async function proceed(ctx: Ctx, step: CustomAuthStep) {
  const next = await defineNext(ctx, step);
  if (!next.done) return next.response;
  return completeSignIn(ctx, step.pool, step.client, step.user, step.admin, {
    source: 'Authentication',
    clientMetadata: step.clientMetadata,
    mfaDone: true,
  });
}

/** InitiateAuth CUSTOM_AUTH: the first DefineAuthChallenge turn (InitiateAuth's ClientMetadata is not passed). */
export async function customSignIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
  admin: boolean,
) {
  if (!hasFlow(client, 'CUSTOM_AUTH')) throw invalidParameter('CUSTOM_AUTH flow not enabled for this client');
  requireCustomAuth(pool);
  const username = param(params, 'USERNAME');
  const user = findUser(pool, username);
  checkSecretHash(client, [username, user?.username], params.SECRET_HASH);
  if (params.SRP_A || params.CHALLENGE_NAME === 'SRP_A')
    throw invalidParameter('CUSTOM_AUTH with SRP_A (CUSTOM_WITH_SRP) is not supported by the local IdP yet.');
  if (!user) {
    await ctx.store.commit();
    throw missingUserError(client);
  }
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return proceed(ctx, { pool, client, user, admin, history: [] });
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
  const username = param(responses, 'USERNAME');
  checkSecretHash(client, [username, findUser(pool, username)?.username], responses.SECRET_HASH);
  const step = await answerCustomChallenge(ctx, pool, client, {
    session: str(input, 'Session'),
    answer: param(responses, 'ANSWER'),
    admin,
    clientMetadata: clientMetadataOf(input),
  });
  if (findUser(pool, username) !== step.user)
    throw notAuthorized('Invalid session for the user, session is expired.');
  return proceed(ctx, step);
}
