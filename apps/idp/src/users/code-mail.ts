import type { Ctx } from '../context.ts';
import { codeDelivery } from '../mail/mailbox.ts';
import { codeMail } from '../mail/templates.ts';
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

/** Which operation sends the message (the CustomMessage trigger's source), and for which client. */
export interface CodeVia {
  source: MessageSource;
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

/**
 * Draws a fresh code of `kind` (the user's earlier one stops working), mails it through the pool's
 * CustomMessage trigger when there is one, and returns Cognito's CodeDeliveryDetails. A verification
 * code goes to the pending new address when there is one (ADR 0078), every other code to the user's
 * e-mail. The caller commits the store.
 */
export async function mailCode(ctx: Ctx, pool: PoolRecord, user: UserRecord, kind: CodeKind, via: CodeVia) {
  const mail = codeMails[kind];
  const { code, record } = issueCode(ctx, codeLifetimeMs[kind]);
  user[mail.field] = record;
  const to = (kind === 'verification' ? user.pendingEmail : undefined) ?? user.attributes.email!;
  await deliverMessage(ctx, pool, {
    ...via,
    user,
    to,
    kind,
    code,
    // The pool's VerificationMessageTemplate words every code mail, as in Cognito (ADR 0125).
    ...codeMail(pool, { subject: mail.subject, body: (c) => `${mail.says} ${c}` }),
  });
  return codeDelivery(to);
}
