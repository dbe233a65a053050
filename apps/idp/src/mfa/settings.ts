import { invalidParameter } from '../protocol/errors.ts';
import type { PoolRecord, UserMfaRecord, UserRecord } from '../store/state.ts';
import type { MfaFactor } from './challenge-types.ts';

/** The factors SetUserPoolMfaConfig turned on for the pool, in Cognito's order. */
export function poolFactors(pool: PoolRecord): MfaFactor[] {
  const out: MfaFactor[] = [];
  if (pool.mfa?.sms) out.push('SMS_MFA');
  if (pool.mfa?.softwareToken) out.push('SOFTWARE_TOKEN_MFA');
  if (pool.mfa?.email) out.push('EMAIL_OTP');
  return out;
}

/** The factors a user has turned on that the pool also allows and that can be delivered. */
export function userFactors(pool: PoolRecord, user: UserRecord): MfaFactor[] {
  const allowed = poolFactors(pool);
  return (user.mfa?.enabled ?? []).filter(
    (f) =>
      allowed.includes(f) &&
      (f !== 'SOFTWARE_TOKEN_MFA' || !!user.mfa?.totpSecret) &&
      (f !== 'EMAIL_OTP' || !!user.attributes.email) &&
      (f !== 'SMS_MFA' || !!user.attributes.phone_number),
  );
}

const mfa = (user: UserRecord): UserMfaRecord => {
  user.mfa ??= { enabled: [] };
  return user.mfa;
};

/** GetUser / AdminGetUser: UserMFASettingList and PreferredMfaSetting (omitted when none). */
export function mfaSettingsOf(user: UserRecord) {
  const enabled = user.mfa?.enabled ?? [];
  return {
    UserMFASettingList: enabled.length > 0 ? [...enabled] : undefined,
    PreferredMfaSetting: user.mfa?.preferred,
  };
}

/** The three settings SetUserMFAPreference / AdminSetUserMFAPreference take, by factor. */
const settingNames: Array<[string, MfaFactor]> = [
  ['SMSMfaSettings', 'SMS_MFA'],
  ['SoftwareTokenMfaSettings', 'SOFTWARE_TOKEN_MFA'],
  ['EmailMfaSettings', 'EMAIL_OTP'],
];

/**
 * Applies MFA preferences. A factor left out keeps its setting; one marked Enabled needs what it
 * delivers to (a verified TOTP secret, an e-mail, a phone number); only one may be preferred, and
 * disabling the preferred factor clears the preference.
 */
export function applyMfaPreference(pool: PoolRecord, user: UserRecord, input: Record<string, unknown>) {
  const changes: Array<{ factor: MfaFactor; enabled?: boolean; preferred?: boolean }> = [];
  for (const [name, factor] of settingNames) {
    const v = input[name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${name} must be an object`);
    const { Enabled, PreferredMfa } = v as { Enabled?: unknown; PreferredMfa?: unknown };
    if (
      (Enabled !== undefined && typeof Enabled !== 'boolean') ||
      (PreferredMfa !== undefined && typeof PreferredMfa !== 'boolean')
    )
      throw invalidParameter(`${name}.Enabled and ${name}.PreferredMfa must be booleans`);
    changes.push({ factor, enabled: Enabled, preferred: PreferredMfa });
  }
  if (changes.filter((c) => c.preferred).length > 1)
    throw invalidParameter('Only one MFA method can be set as preferred.');
  for (const c of changes) {
    if (c.enabled !== true) continue;
    if (c.factor === 'SOFTWARE_TOKEN_MFA' && !user.mfa?.totpSecret)
      throw invalidParameter('User has not verified software token mfa');
    if (c.factor === 'SMS_MFA' && !user.attributes.phone_number)
      throw invalidParameter('User does not have delivery config set to turn on SMS_MFA');
    if (c.factor === 'EMAIL_OTP' && !user.attributes.email)
      throw invalidParameter('User does not have delivery config set to turn on EMAIL_OTP');
    if (!poolFactors(pool).includes(c.factor))
      throw invalidParameter(`${c.factor} is not enabled for the user pool.`);
  }
  const m = mfa(user);
  for (const c of changes) {
    const on = c.enabled ?? m.enabled.includes(c.factor);
    if (c.preferred && !on) throw invalidParameter(`${c.factor} must be enabled to be preferred.`);
    m.enabled = m.enabled.filter((f) => f !== c.factor);
    if (on) m.enabled.push(c.factor);
    if (c.preferred) m.preferred = c.factor;
    else if (m.preferred === c.factor && (!on || c.preferred === false)) m.preferred = undefined;
  }
}

/** A verified TOTP secret: it becomes the user's and the factor is turned on (as Cognito does). */
export function enrolTotp(user: UserRecord, secret: string, step: number) {
  const m = mfa(user);
  m.totpSecret = secret;
  m.pendingTotpSecret = undefined;
  m.lastTotpStep = step;
  if (!m.enabled.includes('SOFTWARE_TOKEN_MFA')) m.enabled.push('SOFTWARE_TOKEN_MFA');
}

export function setPendingTotp(user: UserRecord, secret: string) {
  mfa(user).pendingTotpSecret = secret;
}

/** Turns a factor on (e-mail MFA chosen during MFA_SETUP). */
export function enableFactor(user: UserRecord, factor: MfaFactor) {
  const m = mfa(user);
  if (!m.enabled.includes(factor)) m.enabled.push(factor);
}
