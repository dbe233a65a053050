import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import type { MfaFactor } from '../mfa/challenge-types.ts';
import { userFactors } from '../mfa/settings.ts';
import { invalidParameter, notAuthorized } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { findUser } from '../users/lookup.ts';
import { userAttributesOf, withMetadata } from './events.ts';
import { hasTrigger, invalidLambdaResponse, invokeTrigger } from './invoke.ts';

export type CustomAuthHistory = Array<{
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata?: string;
}>;

export interface CustomAuthStep {
  pool: PoolRecord;
  client: ClientRecord;
  /**
   * Undefined for a name no user has, when the client hides existence errors: the triggers then run
   * with `userNotFound: true` and the loop can only end in failure, as in Cognito.
   */
  user: UserRecord | undefined;
  /** The user's username, or the name typed for an unknown user. */
  userName: string;
  admin: boolean;
  history: CustomAuthHistory;
  clientMetadata?: Record<string, string>;
  /** CUSTOM_WITH_SRP: the InitiateAuth parameters (USERNAME, SRP_A, SECRET_HASH) for PASSWORD_VERIFIER. */
  srp?: Record<string, string>;
}

/** What the caller does next: sign the user in, start SRP's PASSWORD_VERIFIER, or send this challenge. */
export type CustomAuthOutcome =
  | { kind: 'tokens'; user: UserRecord }
  | { kind: 'password' }
  | { kind: 'mfa'; user: UserRecord; factor: MfaFactor }
  | {
      kind: 'challenge';
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

/** The request members all three triggers share. */
const requestOf = (step: Pick<CustomAuthStep, 'user'>) => ({
  userAttributes: step.user ? userAttributesOf(step.user) : {},
  userNotFound: !step.user,
});

/**
 * One turn of Cognito's custom-auth loop: DefineAuthChallenge reads the session so far and decides.
 * CUSTOM_CHALLENGE: CreateAuthChallenge makes it and the private part stays here under a Session.
 * PASSWORD_VERIFIER (after CUSTOM_WITH_SRP's `SRP_A`): the caller runs SRP's built-in step.
 * SMS_MFA / SOFTWARE_TOKEN_MFA / EMAIL_OTP after a right password, for a factor the user has: the
 * caller asks for it. Any other name is InvalidLambdaResponseException (device steps are not offered).
 */
export async function defineNext(ctx: Ctx, step: CustomAuthStep): Promise<CustomAuthOutcome> {
  const { pool, client, user, history, clientMetadata } = step;
  const common = { userName: step.userName, clientId: client.clientId };
  const define = await invokeTrigger(ctx, pool, 'DefineAuthChallenge', {
    ...common,
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: withMetadata({ ...requestOf(step), session: history }, clientMetadata),
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  if (define?.failAuthentication === true) throw notAuthorized();
  // Tokens for nobody cannot be issued: an unknown user's loop fails like a wrong password.
  if (define?.issueTokens === true) {
    if (!user) throw notAuthorized();
    return { kind: 'tokens', user };
  }
  const name = str(define?.challengeName);
  if (name === 'PASSWORD_VERIFIER' && step.srp && history.at(-1)?.challengeName === 'SRP_A')
    return { kind: 'password' };
  // Cognito's MFA needs the password step first (its MFA hangs on PASSWORD_VERIFIER), and a factor
  // the user has on.
  const passwordDone = history.some((h) => h.challengeName === 'PASSWORD_VERIFIER' && h.challengeResult);
  if (user && passwordDone && (userFactors(pool, user) as string[]).includes(name ?? ''))
    return { kind: 'mfa', user, factor: name as MfaFactor };
  if (name !== 'CUSTOM_CHALLENGE') throw invalidLambdaResponse();
  const created = await invokeTrigger(ctx, pool, 'CreateAuthChallenge', {
    ...common,
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: withMetadata({ ...requestOf(step), challengeName: name, session: history }, clientMetadata),
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  const session = opaque(192);
  ctx.challenges.put(session, {
    kind: 'CUSTOM_CHALLENGE',
    poolId: pool.id,
    clientId: client.clientId,
    username: step.userName,
    ...(user ? {} : { userNotFound: true }),
    history,
    privateChallengeParameters: stringMap(created?.privateChallengeParameters),
    challengeMetadata: str(created?.challengeMetadata),
    expiresAt: ctx.clock() + challengeLifetimeMs,
    admin: step.admin,
  });
  return {
    kind: 'challenge',
    response: {
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeParameters: { ...stringMap(created?.publicChallengeParameters), USERNAME: step.userName },
    },
  };
}

/** RespondToAuthChallenge with CUSTOM_CHALLENGE: VerifyAuthChallengeResponse judges ANSWER. */
export async function answerCustomChallenge(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  o: {
    session: string;
    typed: string;
    answer: string;
    admin: boolean;
    clientMetadata?: Record<string, string>;
  },
): Promise<CustomAuthStep> {
  const expired = () => notAuthorized('Invalid session for the user, session is expired.');
  const c = ctx.challenges.take(o.session);
  if (c?.kind !== 'CUSTOM_CHALLENGE' || c.clientId !== client.clientId || c.admin !== o.admin)
    throw expired();
  const user = c.userNotFound ? undefined : pool.users[c.username];
  if (!c.userNotFound && (!user || findUser(pool, o.typed) !== user)) throw expired();
  if (c.userNotFound && o.typed !== c.username) throw expired();
  const verify = await invokeTrigger(ctx, pool, 'VerifyAuthChallengeResponse', {
    userName: c.username,
    clientId: client.clientId,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: withMetadata(
      {
        ...requestOf({ user }),
        privateChallengeParameters: c.privateChallengeParameters,
        challengeAnswer: o.answer,
      },
      o.clientMetadata,
    ),
    response: { answerCorrect: null },
  });
  const history: CustomAuthHistory = [
    ...c.history,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: verify?.answerCorrect === true,
      ...(c.challengeMetadata ? { challengeMetadata: c.challengeMetadata } : {}),
    },
  ];
  return {
    pool,
    client,
    user,
    userName: c.username,
    admin: o.admin,
    history,
    clientMetadata: o.clientMetadata,
  };
}
