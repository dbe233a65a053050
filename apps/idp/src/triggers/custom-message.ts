import type { Ctx } from '../context.ts';
import { sendMail } from '../mail/mailbox.ts';
import type { MailMessage, PoolRecord, UserRecord } from '../store/state.ts';
import { userAttributesOf, withMetadata } from './events.ts';
import { invalidLambdaResponse, invokeTrigger } from './invoke.ts';

export type MessageSource =
  | 'SignUp'
  | 'AdminCreateUser'
  | 'ResendCode'
  | 'ForgotPassword'
  | 'UpdateUserAttribute'
  | 'VerifyUserAttribute'
  | 'Authentication';

export interface OutgoingMessage {
  source: MessageSource;
  user: UserRecord;
  to: string;
  kind: MailMessage['kind'];
  /** The code (or, for AdminCreateUser, the temporary password) the message carries. */
  code: string;
  /** What the user types as their username (AdminCreateUser's {username}). */
  login?: string;
  subject: string;
  /** The default text, given the code (Cognito's own message when no trigger customises it). */
  body: (code: string) => string;
  clientId?: string;
  clientMetadata?: Record<string, string>;
}

// The placeholders Cognito puts in the request; the function must use them, Cognito fills them in.
const codeParameter = '{####}';
const usernameParameter = '{username}';
const linkParameter = '{##Click Here##}';
const maxEmailLength = 20_000;

const toText = (html: string) =>
  html
    .replace(/<(br|\/p|\/div|\/h\d|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

function checkResponse(pool: PoolRecord, m: OutgoingMessage, r: Record<string, unknown>) {
  const { source } = m;
  const { emailMessage, emailSubject, smsMessage } = r;
  for (const v of [emailMessage, emailSubject, smsMessage])
    if (v !== undefined && v !== null && typeof v !== 'string') throw invalidLambdaResponse();
  // A text message uses smsMessage only: the e-mail fields (and their rules) do not apply to it.
  if (m.kind === 'sms') {
    if (typeof smsMessage === 'string' && !smsMessage.includes(codeParameter))
      throw invalidLambdaResponse(`The smsMessage must contain the codeParameter ${codeParameter}.`);
    return;
  }
  const custom = emailMessage != null || emailSubject != null;
  // Cognito's rule: a custom e-mail needs the pool to send through SES (EmailSendingAccount DEVELOPER).
  if (custom && pool.emailConfiguration?.EmailSendingAccount !== 'DEVELOPER')
    throw invalidLambdaResponse(
      'emailMessage and emailSubject are allowed only when the EmailSendingAccount of the user pool is DEVELOPER.',
    );
  if (typeof emailMessage === 'string') {
    if (!emailMessage.includes(codeParameter))
      throw invalidLambdaResponse(`The emailMessage must contain the codeParameter ${codeParameter}.`);
    if (source === 'AdminCreateUser' && !emailMessage.includes(usernameParameter))
      throw invalidLambdaResponse(
        `The emailMessage must contain the usernameParameter ${usernameParameter}.`,
      );
    if (emailMessage.length > maxEmailLength)
      throw invalidLambdaResponse(`The emailMessage must be at most ${maxEmailLength} characters.`);
  }
}

/**
 * Sends one of Cognito's messages to the dev mailbox, through the pool's CustomMessage trigger when
 * there is one: the function gets `{####}` (and `{username}`) placeholders, returns its subject and
 * HTML (or, for a text message — kind `sms` — its smsMessage), and the real code replaces the
 * placeholder here, as Cognito does. The caller commits.
 */
export async function deliverMessage(ctx: Ctx, pool: PoolRecord, m: OutgoingMessage): Promise<MailMessage> {
  const response = await invokeTrigger(ctx, pool, 'CustomMessage', {
    triggerSource: `CustomMessage_${m.source}`,
    userName: m.user.username,
    clientId: m.clientId,
    request: withMetadata(
      {
        userAttributes: userAttributesOf(m.user),
        codeParameter,
        linkParameter,
        usernameParameter: m.source === 'AdminCreateUser' ? usernameParameter : null,
      },
      m.clientMetadata,
    ),
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
    validate: (r) => checkResponse(pool, m, r),
  });
  const fill = (s: string) =>
    s.replaceAll(codeParameter, m.code).replaceAll(usernameParameter, m.login ?? m.user.username);
  if (m.kind === 'sms') {
    const text = typeof response?.smsMessage === 'string' ? fill(response.smsMessage) : m.body(m.code);
    return sendMail(ctx, { to: m.to, kind: m.kind, subject: m.subject, body: text, code: m.code });
  }
  const html = typeof response?.emailMessage === 'string' ? fill(response.emailMessage) : undefined;
  return sendMail(ctx, {
    to: m.to,
    kind: m.kind,
    subject: typeof response?.emailSubject === 'string' ? fill(response.emailSubject) : m.subject,
    body: html ? toText(html) : m.body(m.code),
    ...(html ? { html } : {}),
    code: m.code,
  });
}
