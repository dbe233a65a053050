import type { Ctx } from '../context.ts';
import { newCode } from '../ids.ts';
import { maskEmail, sendMail } from '../mail/mailbox.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { hashOf } from './codes.ts';

/** Cognito's default texts when the pool sets none. */
const defaultEmailMessage = 'Your authentication code is {####}.';
const defaultEmailSubject = 'Your authentication code';
const defaultSmsMessage = 'Your authentication code is {####}. ';

/** +*******1234, the way Cognito masks a phone number in CODE_DELIVERY_DESTINATION. */
export const maskPhone = (phone: string) => `+${'*'.repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;

/**
 * Sends a sign-in code: EMAIL_OTP to the e-mail address, SMS_MFA as an "SMS" to the phone number —
 * both into the dev mailbox (kind `mfa` or `sms`). Returns the code's hash and the challenge
 * parameters clients read. The caller commits.
 */
export function sendSignInCode(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  factor: 'EMAIL_OTP' | 'SMS_MFA',
) {
  const code = newCode();
  if (factor === 'EMAIL_OTP') {
    const to = user.attributes.email!;
    sendMail(ctx, {
      to,
      kind: 'mfa',
      subject: pool.mfa?.email?.subject ?? defaultEmailSubject,
      body: (pool.mfa?.email?.message ?? defaultEmailMessage).replace('{####}', code),
      code,
    });
    return {
      hash: hashOf(code),
      parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: maskEmail(to) },
    };
  }
  const to = user.attributes.phone_number!;
  sendMail(ctx, {
    to,
    kind: 'sms',
    subject: 'SMS',
    body: (pool.mfa?.sms?.message ?? defaultSmsMessage).replace('{####}', code),
    code,
  });
  return {
    hash: hashOf(code),
    parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: maskPhone(to) },
  };
}
