import type { Ctx } from '../context.ts';
import { newCode } from '../ids.ts';
import { maskEmail } from '../mail/mailbox.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { deliverMessage } from '../triggers/custom-message.ts';
import { hashOf } from './codes.ts';

/** Cognito's default texts when the pool sets none. */
const defaultEmailMessage = 'Your authentication code is {####}.';
const defaultEmailSubject = 'Your authentication code';
const defaultSmsMessage = 'Your authentication code is {####}. ';

/** +*******1234, the way Cognito masks a phone number in CODE_DELIVERY_DESTINATION. */
export const maskPhone = (phone: string) => `+${'*'.repeat(Math.max(phone.length - 5, 0))}${phone.slice(-4)}`;

/** Where a sign-in code came from, for CustomMessage_Authentication's event. */
export interface SignInCodeVia {
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

/**
 * Sends a sign-in code: EMAIL_OTP to the e-mail address, SMS_MFA as an "SMS" to the phone number —
 * both into the dev mailbox (kind `mfa` or `sms`), through the pool's CustomMessage trigger
 * (`CustomMessage_Authentication`) when it has one. Returns the code's hash and the challenge
 * parameters clients read. The caller commits.
 */
export async function sendSignInCode(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  factor: 'EMAIL_OTP' | 'SMS_MFA',
  via: SignInCodeVia = {},
) {
  const code = newCode();
  const email = factor === 'EMAIL_OTP';
  const to = email ? user.attributes.email! : user.attributes.phone_number!;
  const message =
    (email ? pool.mfa?.email?.message : pool.mfa?.sms?.message) ??
    (email ? defaultEmailMessage : defaultSmsMessage);
  await deliverMessage(ctx, pool, {
    source: 'Authentication',
    user,
    to,
    kind: email ? 'mfa' : 'sms',
    code,
    subject: email ? (pool.mfa?.email?.subject ?? defaultEmailSubject) : 'SMS',
    body: (c) => message.replace('{####}', c),
    ...via,
  });
  return {
    hash: hashOf(code),
    parameters: email
      ? { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: maskEmail(to) }
      : { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: maskPhone(to) },
  };
}
