import type { Ctx } from '../context.ts';
import { mfaSettingsOf } from '../mfa/settings.ts';
import { type Input, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { adminUser, poolById } from '../users/lookup.ts';

/**
 * Policies.SignInPolicy.AllowedFirstAuthFactors (stored with the pool's settings by
 * UpdateUserPool); Cognito's default is PASSWORD only.
 */
export function allowedFirstFactors(pool: PoolRecord): string[] {
  const settings = (pool as { settings?: { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } })
    .settings;
  return settings?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD'];
}

/** The first factors this user can use with USER_AUTH (AvailableChallenges, in Cognito's names). */
export function firstFactorsOf(pool: PoolRecord, user: UserRecord): string[] {
  const out: string[] = [];
  for (const f of allowedFirstFactors(pool)) {
    if (f === 'PASSWORD') out.push('PASSWORD', 'PASSWORD_SRP');
    if (f === 'EMAIL_OTP' && user.attributes.email && user.attributes.email_verified === 'true')
      out.push('EMAIL_OTP');
    if (f === 'WEB_AUTHN' && (user.webAuthn?.length ?? 0) > 0) out.push('WEB_AUTHN');
  }
  return out;
}

/** GetUserAuthFactors' answer: the MFA settings and ConfiguredUserAuthFactors. */
function authFactorsOf(pool: PoolRecord, user: UserRecord) {
  const configured = firstFactorsOf(pool, user).filter((f) => f !== 'PASSWORD_SRP');
  return { Username: user.username, ...mfaSettingsOf(user), ConfiguredUserAuthFactors: configured };
}

export const authFactorOperations = {
  GetUserAuthFactors(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return authFactorsOf(pool, user);
  },
  AdminGetUserAuthFactors(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    return authFactorsOf(pool, adminUser(pool, str(input, 'Username')));
  },
};
