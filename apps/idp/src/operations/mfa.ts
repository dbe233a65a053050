import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import { takeMfaChallenge } from '../mfa/challenge.ts';
import { applyMfaPreference, enrolTotp, setPendingTotp } from '../mfa/settings.ts';
import { newTotpSecret, totpStep } from '../mfa/totp.ts';
import { CognitoError, invalidParameter, notAuthorized } from '../protocol/errors.ts';
import { type Input, optStr, str } from '../protocol/params.ts';
import type { UserRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { challengeLifetimeMs } from '../users/challenges.ts';
import { adminUser, poolById } from '../users/lookup.ts';

/** The signed-in user (AccessToken) or the MFA_SETUP sign-in (Session): exactly one of the two. */
function caller(ctx: Ctx, input: Input) {
  const token = optStr(input, 'AccessToken');
  const session = optStr(input, 'Session');
  if (!token === !session) throw invalidParameter('Provide either AccessToken or Session, but not both.');
  if (token) {
    const { pool, user } = authenticateAccessToken(ctx, token);
    return { pool, user, challenge: undefined };
  }
  const challenge = takeMfaChallenge(ctx, session!);
  const pool = ctx.store.state.pools[challenge.poolId];
  const user = pool?.users[challenge.username];
  if (challenge.name !== 'MFA_SETUP' || !pool || !user)
    throw notAuthorized('Invalid session for the user, session is expired.');
  return { pool, user, challenge };
}

/** The challenge continues under a new Session string, as Cognito hands out a new one per step. */
function continueSetup(ctx: Ctx, challenge: NonNullable<ReturnType<typeof caller>['challenge']>) {
  const next = opaque(192);
  ctx.challenges.put(next, { ...challenge, expiresAt: ctx.clock() + challengeLifetimeMs });
  return next;
}

const notAssociated = () =>
  new CognitoError(
    'SoftwareTokenMFANotFoundException',
    'Software Token MFA has not been associated with the user.',
  );

export const mfaOperations = {
  async AssociateSoftwareToken(ctx: Ctx, input: Input) {
    const { user, challenge } = caller(ctx, input);
    if (challenge && !challenge.canSetUp?.includes('SOFTWARE_TOKEN_MFA')) {
      ctx.challenges.put(str(input, 'Session'), challenge);
      throw notAssociated();
    }
    const secret = newTotpSecret();
    setPendingTotp(user, secret);
    await ctx.store.commit();
    return challenge
      ? { SecretCode: secret, Session: continueSetup(ctx, challenge) }
      : { SecretCode: secret };
  },

  /** A right code makes the associated secret the user's and turns TOTP MFA on (Status SUCCESS). */
  async VerifySoftwareToken(ctx: Ctx, input: Input) {
    const code = str(input, 'UserCode');
    if (!/^\d{6}$/.test(code))
      throw invalidParameter(
        "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+",
      );
    const { user, challenge } = caller(ctx, input);
    const secret = user.mfa?.pendingTotpSecret;
    const keepSession = () => challenge && ctx.challenges.put(str(input, 'Session'), challenge);
    if (!secret) {
      keepSession();
      throw notAssociated();
    }
    const step = totpStep(secret, code, ctx.clock());
    if (step === undefined) {
      keepSession();
      throw new CognitoError(
        'EnableSoftwareTokenMFAException',
        'Code mismatch and fail enable Software Token MFA',
      );
    }
    enrolTotp(user, secret, step);
    user.modifiedAt = ctx.clock();
    await ctx.store.commit();
    if (!challenge) return { Status: 'SUCCESS' };
    return { Status: 'SUCCESS', Session: continueSetup(ctx, { ...challenge, totpVerified: true }) };
  },

  async SetUserMFAPreference(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return setPreference(ctx, pool, user, input);
  },

  async AdminSetUserMFAPreference(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    return setPreference(ctx, pool, adminUser(pool, str(input, 'Username')), input);
  },
};

async function setPreference(
  ctx: Ctx,
  pool: Parameters<typeof applyMfaPreference>[0],
  user: UserRecord,
  input: Input,
) {
  applyMfaPreference(pool, user, input);
  user.modifiedAt = ctx.clock();
  await ctx.store.commit();
  return {};
}
