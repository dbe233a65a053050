import { randomUUID } from 'node:crypto';
import { normaliseEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import type { MailMessage } from '../store/state.ts';

const keepAtMost = 2000;

/**
 * The dev mailbox stands in for e-mail: every message Cognito would send is kept in the state and served
 * at /_dev/mailbox. The caller commits the store.
 */
export function sendMail(ctx: Ctx, msg: Omit<MailMessage, 'id' | 'createdAt'>): MailMessage {
  const full: MailMessage = { id: randomUUID(), createdAt: new Date(ctx.clock()).toISOString(), ...msg };
  const box = ctx.store.state.mailbox;
  box.push(full);
  if (box.length > keepAtMost) box.splice(0, box.length - keepAtMost);
  return full;
}

/** Newest first; `to` compared by normaliseEmail, like the accounts. */
export function readMailbox(ctx: Ctx, to?: string): MailMessage[] {
  const wanted = to?.trim() ? normaliseEmail(to) : undefined;
  return ctx.store.state.mailbox.filter((m) => !wanted || normaliseEmail(m.to) === wanted).reverse();
}

/** Cognito's CodeDeliveryDetails destination mask: first letter of each side, then ***. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

export const codeDelivery = (email: string) => ({
  Destination: maskEmail(email),
  DeliveryMedium: 'EMAIL',
  AttributeName: 'email',
});
