import { userFactors } from '../mfa/settings.ts';
import { settingsOf } from '../pools/describe.ts';
import { invalidParameter } from '../protocol/errors.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import type { CodeMedium } from './code-mail.ts';

const verified = (user: UserRecord, a: CodeMedium) =>
  !!user.attributes[a] && user.attributes[`${a}_verified`] === 'true';

/**
 * Where ForgotPassword and AdminResetUserPassword send the reset code, as Cognito chooses it: with an
 * AccountRecoverySetting, the first mechanism by Priority the user qualifies for (a verified
 * address, and not the channel of their SMS or e-mail MFA); without one, the legacy rule — a verified
 * phone number before a verified e-mail address. Throws Cognito's error when nothing qualifies.
 * (admin_only is refused before this, by ForgotPassword.)
 */
export function recoveryMedium(pool: PoolRecord, user: UserRecord): CodeMedium {
  const mechanisms = settingsOf(pool).AccountRecoverySetting?.RecoveryMechanisms;
  let medium: CodeMedium | undefined;
  if (!mechanisms) {
    medium = (['phone_number', 'email'] as const).find((a) => verified(user, a));
  } else {
    const mfa = userFactors(pool, user);
    const byPriority = [...mechanisms].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0));
    for (const m of byPriority) {
      if (m.Name === 'verified_phone_number' && verified(user, 'phone_number') && !mfa.includes('SMS_MFA'))
        medium = 'phone_number';
      else if (m.Name === 'verified_email' && verified(user, 'email') && !mfa.includes('EMAIL_OTP'))
        medium = 'email';
      if (medium) break;
    }
  }
  if (!medium)
    throw invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  return medium;
}
