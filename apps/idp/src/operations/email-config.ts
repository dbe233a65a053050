import { invalidParameter } from '../protocol/errors.ts';
import type { Input } from '../protocol/params.ts';

/** EmailConfigurationType as Create/UpdateUserPool take it; kept verbatim (the mailbox stands in for SES). */
export interface EmailConfigurationRecord {
  EmailSendingAccount: 'COGNITO_DEFAULT' | 'DEVELOPER';
  SourceArn?: string;
  From?: string;
  ReplyToEmailAddress?: string;
  ConfigurationSet?: string;
}

/**
 * EmailConfiguration; the sending account decides whether a CustomMessage function may set the
 * e-mail's subject and body (only DEVELOPER, i.e. SES). DEVELOPER needs an SES identity (SourceArn).
 */
export function parseEmailConfiguration(input: Input): EmailConfigurationRecord | undefined {
  const raw = input.EmailConfiguration;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidParameter('EmailConfiguration must be an object');
  const o = raw as Record<string, unknown>;
  const account = o.EmailSendingAccount ?? 'COGNITO_DEFAULT';
  if (account !== 'COGNITO_DEFAULT' && account !== 'DEVELOPER')
    throw invalidParameter(`Invalid EmailSendingAccount: ${String(account)}`);
  const out: EmailConfigurationRecord = { EmailSendingAccount: account };
  for (const k of ['SourceArn', 'From', 'ReplyToEmailAddress', 'ConfigurationSet'] as const) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw invalidParameter(`EmailConfiguration.${k} must be a string`);
    out[k] = v;
  }
  if (account === 'DEVELOPER' && !out.SourceArn)
    throw invalidParameter(
      'SourceArn is required in EmailConfiguration when EmailSendingAccount is DEVELOPER.',
    );
  return out;
}
