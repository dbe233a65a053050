import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import { invalidParameter, notAuthorized } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { userAttributesOf, withMetadata } from './events.ts';
import { hasTrigger, invalidLambdaResponse, invokeTrigger } from './invoke.ts';

type History = Array<{ challengeName: string; challengeResult: boolean; challengeMetadata?: string }>;

export interface CustomAuthStep {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  admin: boolean;
  history: History;
  clientMetadata?: Record<string, string>;
}

/** What the caller does next: sign the user in, or send this challenge. */
export type CustomAuthOutcome =
  | { done: true }
  | {
      done: false;
      response: { ChallengeName: string; Session: string; ChallengeParameters: Record<string, string> };
    };

export function requireCustomAuth(pool: PoolRecord) {
  if (!hasTrigger(pool, 'DefineAuthChallenge') || !hasTrigger(pool, 'CreateAuthChallenge'))
    throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function stringMap(v: unknown): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidLambdaResponse();
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}

/**
 * One turn of Cognito's custom-auth loop: DefineAuthChallenge reads the session so far and decides;
 * on CUSTOM_CHALLENGE, CreateAuthChallenge makes it and the private part stays here under a Session.
 */
export async function defineNext(ctx: Ctx, step: CustomAuthStep): Promise<CustomAuthOutcome> {
  const { pool, client, user, history, clientMetadata } = step;
  const common = { userName: user.username, clientId: client.clientId };
  const define = await invokeTrigger(ctx, pool, 'DefineAuthChallenge', {
    ...common,
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: withMetadata(
      { userAttributes: userAttributesOf(user), session: history, userNotFound: false },
      clientMetadata,
    ),
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  if (define?.failAuthentication === true) throw notAuthorized();
  if (define?.issueTokens === true) return { done: true };
  const name = str(define?.challengeName);
  if (name !== 'CUSTOM_CHALLENGE') throw invalidLambdaResponse();
  const created = await invokeTrigger(ctx, pool, 'CreateAuthChallenge', {
    ...common,
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: withMetadata(
      { userAttributes: userAttributesOf(user), challengeName: name, session: history, userNotFound: false },
      clientMetadata,
    ),
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  const session = opaque(192);
  ctx.challenges.put(session, {
    kind: 'CUSTOM_CHALLENGE',
    poolId: pool.id,
    clientId: client.clientId,
    username: user.username,
    history,
    privateChallengeParameters: stringMap(created?.privateChallengeParameters),
    challengeMetadata: str(created?.challengeMetadata),
    expiresAt: ctx.clock() + challengeLifetimeMs,
    admin: step.admin,
  });
  return {
    done: false,
    response: {
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeParameters: { ...stringMap(created?.publicChallengeParameters), USERNAME: user.username },
    },
  };
}

/** RespondToAuthChallenge with CUSTOM_CHALLENGE: VerifyAuthChallengeResponse judges ANSWER. */
export async function answerCustomChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  o: { session: string; answer: string; admin: boolean; clientMetadata?: Record<string, string> },
): Promise<CustomAuthStep> {
  const c = ctx.challenges.take(o.session);
  if (c?.kind !== 'CUSTOM_CHALLENGE' || c.clientId !== client.clientId || c.admin !== o.admin)
    throw notAuthorized('Invalid session for the user, session is expired.');
  const user = pool.users[c.username];
  if (!user) throw notAuthorized('Invalid session for the user, session is expired.');
  const verify = await invokeTrigger(ctx, pool, 'VerifyAuthChallengeResponse', {
    userName: user.username,
    clientId: client.clientId,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: withMetadata(
      {
        userAttributes: userAttributesOf(user),
        privateChallengeParameters: c.privateChallengeParameters,
        challengeAnswer: o.answer,
        userNotFound: false,
      },
      o.clientMetadata,
    ),
    response: { answerCorrect: null },
  });
  const history: History = [
    ...c.history,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: verify?.answerCorrect === true,
      ...(c.challengeMetadata ? { challengeMetadata: c.challengeMetadata } : {}),
    },
  ];
  return { pool, client, user, admin: o.admin, history, clientMetadata: o.clientMetadata };
}
