import type { Ctx } from '../context.ts';
import { passwordPassed, recordAuthEvent } from '../events/auth-events.ts';
import { opaque } from '../ids.ts';
import { CognitoError, invalidParameter, notAuthorized } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { checkSecretHash, findUser } from '../users/lookup.ts';
import type { MfaChallenge, MfaFactor } from './challenge-types.ts';
import { beginMfaAttempt, mfaAttemptSucceeded, mfaCodeMismatch, sameCode } from './codes.ts';
import { sendSignInCode } from './delivery.ts';
import { enableFactor, poolFactors, userFactors } from './settings.ts';
import { totpStep } from './totp.ts';

export const mfaChallengeNames = new Set([
  'SOFTWARE_TOKEN_MFA',
  'EMAIL_OTP',
  'SMS_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
]);

export interface ChallengeAnswer {
  ChallengeName: string;
  Session: string;
  ChallengeParameters: Record<string, string>;
}

const expired = () => notAuthorized('Invalid session for the user, session is expired.');

export type Who = Pick<MfaChallenge, 'poolId' | 'clientId' | 'username' | 'admin'> & { browser?: boolean };

export function issue(
  ctx: Ctx,
  who: Who,
  name: MfaChallenge['name'],
  params: Record<string, string>,
  extra: Partial<MfaChallenge> = {},
): ChallengeAnswer {
  const session = opaque(192);
  ctx.challenges.put(session, {
    kind: 'MFA',
    name,
    parameters: params,
    ...who,
    expiresAt: ctx.clock() + challengeLifetimeMs,
    ...extra,
  });
  return { ChallengeName: name, Session: session, ChallengeParameters: params };
}

/**
 * Asks for one factor: a code is sent for EMAIL_OTP and SMS_MFA; TOTP needs nothing sent.
 * `clientMetadata` is RespondToAuthChallenge's, for CustomMessage_Authentication (never InitiateAuth's).
 */
export async function askFor(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  who: Who,
  factor: MfaFactor,
  extra: Partial<MfaChallenge> = {},
  clientMetadata?: Record<string, string>,
): Promise<ChallengeAnswer> {
  if (factor === 'SOFTWARE_TOKEN_MFA') return issue(ctx, who, factor, {}, extra);
  const sent = await sendSignInCode(ctx, pool, user, factor, { clientId: who.clientId, clientMetadata });
  return issue(ctx, who, factor, sent.parameters, {
    code: { hash: sent.hash, expiresAt: ctx.clock() + challengeLifetimeMs, failedAttempts: 0 },
    ...extra,
  });
}

/**
 * After the password (and any new-password step): the MFA challenge Cognito would send, or undefined
 * when none is due. OFF never asks; OPTIONAL asks users with a factor turned on; ON asks everyone,
 * and a user with no factor sets one up (MFA_SETUP) — unless the pool sends codes to an address the
 * user already has (e-mail, phone), which Cognito uses at once. The preferred factor wins; several
 * without a preference → SELECT_MFA_TYPE. The caller commits.
 */
export async function startMfa(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  admin: boolean,
  browser = false,
  clientMetadata?: Record<string, string>,
): Promise<ChallengeAnswer | undefined> {
  if (pool.mfaConfiguration !== 'ON' && pool.mfaConfiguration !== 'OPTIONAL') return undefined;
  const who: Who = { poolId: pool.id, clientId: client.clientId, username: user.username, admin, browser };
  const factors = userFactors(pool, user);
  const preferred = user.mfa?.preferred;
  if (preferred && factors.includes(preferred))
    return askFor(ctx, pool, user, who, preferred, {}, clientMetadata);
  if (factors.length === 1) return askFor(ctx, pool, user, who, factors[0]!, {}, clientMetadata);
  if (factors.length > 1)
    return issue(ctx, who, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(factors) });
  if (pool.mfaConfiguration !== 'ON') return undefined;
  const allowed = poolFactors(pool);
  if (allowed.includes('SMS_MFA') && user.attributes.phone_number)
    return askFor(ctx, pool, user, who, 'SMS_MFA', {}, clientMetadata);
  const canSetUp = allowed.filter((f) => f !== 'SMS_MFA');
  if (canSetUp.length === 0)
    throw new CognitoError(
      'InvalidUserPoolConfigurationException',
      'MFA is required but no MFA method is enabled for the user pool.',
    );
  return issue(ctx, who, 'MFA_SETUP', { MFAS_CAN_SETUP: JSON.stringify(canSetUp) }, { canSetUp });
}

/** Takes an MFA challenge by its Session for this client and caller kind, or answers "session is expired". */
export function takeMfaChallenge(
  ctx: Ctx,
  session: string,
  clientId?: string,
  admin?: boolean,
): MfaChallenge {
  const c = ctx.challenges.take(session);
  if (
    c?.kind !== 'MFA' ||
    (clientId !== undefined && c.clientId !== clientId) ||
    (admin !== undefined && c.admin !== admin)
  )
    throw expired();
  return c;
}

/** A wrong MFA (or passwordless) code, as AdminListUserAuthEvents shows it. */
const mfaFailed = [{ name: 'Mfa' as const, response: 'Failure' as const }];

/**
 * The result of answering an MFA challenge: the user to issue tokens to (with the factor answered and
 * the custom-auth session it belongs to, if any), or the next challenge.
 */
export type MfaOutcome =
  | { user: UserRecord; factor: MfaFactor; custom?: MfaChallenge['custom'] }
  | { next: ChallengeAnswer };

/** The custom-auth session carried to the next MFA step (SELECT_MFA_TYPE, MFA_SETUP by e-mail). */
const carried = (c: MfaChallenge) => (c.custom ? { custom: c.custom } : {});

function checkFactorCode(ctx: Ctx, user: UserRecord, c: MfaChallenge, responses: Record<string, string>) {
  if (c.name === 'SOFTWARE_TOKEN_MFA') {
    const code = responses.SOFTWARE_TOKEN_MFA_CODE;
    if (!code) throw invalidParameter('Missing required parameter SOFTWARE_TOKEN_MFA_CODE');
    const secret = user.mfa?.totpSecret;
    if (!secret)
      throw new CognitoError(
        'SoftwareTokenMFANotFoundException',
        'Software Token MFA does not exist for the user.',
      );
    beginMfaAttempt(ctx, user);
    const step = totpStep(secret, code, ctx.clock());
    if (step === undefined) throw mfaCodeMismatch();
    if (step <= (user.mfa!.lastTotpStep ?? -1))
      throw new CognitoError('ExpiredCodeException', 'Your software token has already been used once.');
    user.mfa!.lastTotpStep = step;
    return;
  }
  const field = c.name === 'EMAIL_OTP' ? 'EMAIL_OTP_CODE' : 'SMS_MFA_CODE';
  const code = responses[field];
  if (!code) throw invalidParameter(`Missing required parameter ${field}`);
  beginMfaAttempt(ctx, user);
  if (!c.code || !sameCode(c.code.hash, code)) throw mfaCodeMismatch();
}

/**
 * RespondToAuthChallenge (and its admin twin, and the managed login) for the MFA challenges. A wrong
 * code commits its count and keeps the session usable until it expires; a right one clears the count.
 */
export async function respondMfa(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  name: string,
  responses: Record<string, string>,
  session: string,
  admin: boolean,
  browser = false,
  clientMetadata?: Record<string, string>,
): Promise<MfaOutcome> {
  const c = takeMfaChallenge(ctx, session, client.clientId, admin);
  // A managed-login step is answered on its page only, an API step through the API only.
  if (!!c.browser !== browser) throw expired();
  if (c.decoy && c.name === name) {
    // An unknown user's passwordless code: answered like a wrong code (ADR 0079).
    ctx.challenges.put(session, c);
    throw mfaCodeMismatch();
  }
  const user = pool.users[c.username];
  if (!user || c.name !== name) throw expired();
  if (!responses.USERNAME) throw invalidParameter('Missing required parameter USERNAME');
  checkSecretHash(client, [responses.USERNAME, user.username, user.attributes.email], responses.SECRET_HASH);
  if (findUser(pool, responses.USERNAME) !== user) throw expired();
  if (!user.enabled) throw notAuthorized('User is disabled.');
  const who: Who = {
    poolId: c.poolId,
    clientId: c.clientId,
    username: c.username,
    admin,
    browser: c.browser,
  };
  if (c.name === 'SELECT_MFA_TYPE') {
    const answer = responses.ANSWER as MfaFactor;
    if (!userFactors(pool, user).includes(answer)) {
      ctx.challenges.put(session, c);
      throw invalidParameter(`Invalid ANSWER: ${responses.ANSWER ?? '(none)'}`);
    }
    const next = await askFor(ctx, pool, user, who, answer, carried(c), clientMetadata);
    await ctx.store.commit();
    return { next };
  }
  if (c.name === 'MFA_SETUP') return finishSetup(ctx, pool, user, c, who, responses, session, clientMetadata);
  try {
    checkFactorCode(ctx, user, c, responses);
  } catch (err) {
    if (err instanceof CognitoError && err.type !== 'NotAuthorizedException') ctx.challenges.put(session, c);
    if (err instanceof CognitoError && err.type !== 'InvalidParameterException')
      recordAuthEvent(ctx, pool, user, {
        type: 'SignIn',
        response: 'Fail',
        challenges: c.firstFactor ? mfaFailed : [...passwordPassed, ...mfaFailed],
      });
    await ctx.store.commit();
    throw err;
  }
  mfaAttemptSucceeded(user);
  if (c.setUpEmail) enableFactor(user, 'EMAIL_OTP');
  return { user, factor: c.name as MfaFactor, ...carried(c) };
}

async function finishSetup(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  c: MfaChallenge,
  who: Who,
  responses: Record<string, string>,
  session: string,
  clientMetadata?: Record<string, string>,
): Promise<MfaOutcome> {
  if (c.totpVerified) return { user, factor: 'SOFTWARE_TOKEN_MFA', ...carried(c) };
  if (responses.EMAIL !== undefined && c.canSetUp?.includes('EMAIL_OTP')) {
    if (
      !user.attributes.email ||
      responses.EMAIL.trim().toLowerCase() !== user.attributes.email.toLowerCase()
    ) {
      ctx.challenges.put(session, c);
      throw invalidParameter('EMAIL must be the e-mail address of the user.');
    }
    const next = await askFor(ctx, pool, user, who, 'EMAIL_OTP', {}, clientMetadata);
    const pending = ctx.challenges.take(next.Session);
    if (pending?.kind === 'MFA')
      ctx.challenges.put(next.Session, { ...pending, setUpEmail: true, ...carried(c) });
    await ctx.store.commit();
    return { next };
  }
  ctx.challenges.put(session, c);
  throw invalidParameter(
    'Set up a software token with AssociateSoftwareToken and VerifySoftwareToken first.',
  );
}
