import type { Ctx } from '../context.ts';
import { codeDelivery } from '../mail/mailbox.ts';
import { codeMail } from '../mail/templates.ts';
import { maskPhone } from '../mfa/delivery.ts';
import { settingsOf } from '../pools/describe.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { deliverMessage, type MessageSource } from '../triggers/custom-message.ts';
import { codeLifetimeMs, issueCode } from './codes.ts';

/** Each code Cognito mails: where the user record keeps it, and the default message's words. */
const codeMails = {
  signup: { field: 'signupCode', subject: 'Your verification code', says: 'Your confirmation code is' },
  reset: { field: 'resetCode', subject: 'Your password reset code', says: 'Your password reset code is' },
  verification: {
    field: 'emailVerificationCode',
    subject: 'Your verification code',
    says: 'Your verification code is',
  },
} as const;

export type CodeKind = keyof typeof codeMails;

/** Where a code goes: the e-mail address, or a text message to the phone number. */
export type CodeMedium = 'email' | 'phone_number';

/** Which operation sends the message (the CustomMessage trigger's source), and for which client. */
export interface CodeVia {
  source: MessageSource;
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

/**
 * Which attribute a sign-up code verifies: with both auto-verified Cognito verifies only the phone
 * number (ADR 0198); none when the pool auto-verifies nothing the user has.
 */
export function signUpMedium(pool: PoolRecord, user: UserRecord): CodeMedium | undefined {
  return (['phone_number', 'email'] as const).find(
    (a) => pool.autoVerifiedAttributes.includes(a) && user.attributes[a],
  );
}

/** Cognito's CodeDeliveryDetails for a text message: +*******1234. */
const smsDelivery = (phone: string) => ({
  Destination: maskPhone(phone),
  DeliveryMedium: 'SMS',
  AttributeName: 'phone_number',
});

/** A text message in the pool's words (VerificationMessageTemplate.SmsMessage), else Cognito's default. */
function smsText(pool: PoolRecord, says: string) {
  const message = settingsOf(pool).VerificationMessageTemplate.SmsMessage ?? `${says} {####}. `;
  return { subject: 'SMS', body: (c: string) => message.replaceAll('{####}', c) };
}

/**
 * Draws a fresh code of `kind` (the user's earlier one stops working), sends it through the pool's
 * CustomMessage trigger when there is one, and returns Cognito's CodeDeliveryDetails. By e-mail a
 * verification code goes to the pending new address when there is one (ADR 0078), every other code
 * to the user's e-mail; by SMS (kind `sms` in the dev mailbox) to the phone number, a verification
 * code to the pending new number when there is one. The caller commits.
 */
export async function mailCode(
  ctx: Ctx,
  pool: PoolRecord,
  user: UserRecord,
  kind: CodeKind,
  via: CodeVia,
  medium: CodeMedium = 'email',
) {
  const mail = codeMails[kind];
  const { code, record } = issueCode(ctx, codeLifetimeMs[kind]);
  const sms = medium === 'phone_number';
  user[sms && kind === 'verification' ? 'phoneVerificationCode' : mail.field] = record;
  const pending = kind === 'verification' ? (sms ? user.pendingPhone : user.pendingEmail) : undefined;
  const to = pending ?? (sms ? user.attributes.phone_number! : user.attributes.email!);
  await deliverMessage(ctx, pool, {
    ...via,
    user,
    to,
    kind: sms ? 'sms' : kind,
    code,
    // The pool's VerificationMessageTemplate words every code message, as in Cognito (ADR 0125).
    ...(sms
      ? smsText(pool, mail.says)
      : codeMail(pool, { subject: mail.subject, body: (c) => `${mail.says} ${c}` })),
  });
  return sms ? smsDelivery(to) : codeDelivery(to);
}
