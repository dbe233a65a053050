import { settingsOf } from '../pools/describe.ts';
import type { PoolRecord } from '../store/state.ts';

/** A message's default words: its subject, and its body given the code. */
export interface MailText {
  subject: string;
  body: (code: string) => string;
}

/**
 * A code mail (sign-up, reset, changed e-mail) in the pool's words: VerificationMessageTemplate's
 * EmailMessage/EmailSubject with `{####}` replaced, as Cognito sends it when no CustomMessage trigger
 * rewrites it; the IdP's default text when the pool sets none.
 */
export function codeMail(pool: PoolRecord, fallback: MailText): MailText {
  const t = settingsOf(pool).VerificationMessageTemplate;
  const message = t.EmailMessage;
  return {
    subject: t.EmailSubject ?? fallback.subject,
    body: message ? (code) => message.replaceAll('{####}', code) : fallback.body,
  };
}

/** AdminCreateUser's invitation: InviteMessageTemplate with `{username}` and `{####}` filled in. */
export function invitationMail(pool: PoolRecord, login: string): MailText {
  const t = settingsOf(pool).AdminCreateUserConfig.InviteMessageTemplate;
  const message = t?.EmailMessage ?? 'Your username is {username} and temporary password is {####}.';
  return {
    subject: t?.EmailSubject ?? 'Your temporary password',
    body: (code) => message.replaceAll('{username}', login).replaceAll('{####}', code),
  };
}

/** AdminCreateUser's invitation by text message: InviteMessageTemplate.SMSMessage, else Cognito's words. */
export function invitationText(pool: PoolRecord, login: string): MailText {
  const t = settingsOf(pool).AdminCreateUserConfig.InviteMessageTemplate;
  const message = t?.SMSMessage ?? 'Your username is {username} and temporary password is {####}.';
  return {
    subject: 'SMS',
    body: (code) => message.replaceAll('{username}', login).replaceAll('{####}', code),
  };
}
