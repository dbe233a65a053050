import { CognitoError, invalidParameter } from '../protocol/errors.ts';
import type { Input } from '../protocol/params.ts';
import type { PoolSettings } from '../store/state.ts';
import {
  checkArn,
  checkBool,
  checkEnum,
  checkInt,
  checkLength,
  checkPattern,
  listAt,
  objectAt,
} from './constraints.ts';

/**
 * The pool settings Cognito stores and hands back as given (message templates, recovery, device and
 * SMS configuration, add-ons, sign-in policy, tier): checked against Cognito's model and
 * kept in its wire shape, so DescribeUserPool returns exactly what CreateUserPool or UpdateUserPool
 * wrote (ADR 0125). LambdaConfig and EmailConfiguration have their own parsers (triggers/lambda-config.ts,
 * operations/email-config.ts).
 */

const L = '\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}';
const emailMessage = `[${L}\\s*]*\\{####\\}[${L}\\s*]*`;
const emailLinkMessage = `[${L}\\s*]*\\{##[${L}\\s*]*##\\}[${L}\\s*]*`;
const subject = `[${L}\\s]+`;
const smsMessage = '.*\\{####\\}.*';

const message = (path: string, v: unknown, min: number, max: number, pattern: string) =>
  checkPattern(path, checkLength(path, v, min, max), pattern, 'su');

function parseTemplate(input: Input): Record<string, unknown> {
  const t = objectAt('verificationMessageTemplate', input.VerificationMessageTemplate) ?? {};
  const p = 'verificationMessageTemplate';
  const out: Record<string, unknown> = {};
  // The top-level members and the template's are one setting (Cognito mirrors them).
  const sms = t.SmsMessage ?? input.SmsVerificationMessage;
  const email = t.EmailMessage ?? input.EmailVerificationMessage;
  const emailSubject = t.EmailSubject ?? input.EmailVerificationSubject;
  if (sms != null) out.SmsMessage = message(`${p}.smsMessage`, sms, 6, 140, smsMessage);
  if (email != null) out.EmailMessage = message(`${p}.emailMessage`, email, 6, 20000, emailMessage);
  if (emailSubject != null) out.EmailSubject = message(`${p}.emailSubject`, emailSubject, 1, 140, subject);
  if (t.EmailMessageByLink != null)
    out.EmailMessageByLink = message(
      `${p}.emailMessageByLink`,
      t.EmailMessageByLink,
      6,
      20000,
      emailLinkMessage,
    );
  if (t.EmailSubjectByLink != null)
    out.EmailSubjectByLink = message(`${p}.emailSubjectByLink`, t.EmailSubjectByLink, 1, 140, subject);
  out.DefaultEmailOption =
    t.DefaultEmailOption == null
      ? 'CONFIRM_WITH_CODE'
      : checkEnum(`${p}.defaultEmailOption`, t.DefaultEmailOption, [
          'CONFIRM_WITH_LINK',
          'CONFIRM_WITH_CODE',
        ]);
  return out;
}

function parseAdminCreateUserConfig(raw: unknown, temporaryDays: number): Record<string, unknown> {
  const c = objectAt('adminCreateUserConfig', raw) ?? {};
  const p = 'adminCreateUserConfig';
  const out: Record<string, unknown> = {
    AllowAdminCreateUserOnly:
      c.AllowAdminCreateUserOnly == null
        ? false
        : checkBool(`${p}.allowAdminCreateUserOnly`, c.AllowAdminCreateUserOnly),
    // Deprecated twin of TemporaryPasswordValidityDays; Cognito reports the policy's value.
    UnusedAccountValidityDays:
      c.UnusedAccountValidityDays == null
        ? temporaryDays
        : checkInt(`${p}.unusedAccountValidityDays`, c.UnusedAccountValidityDays, 0, 365),
  };
  const t = objectAt(`${p}.inviteMessageTemplate`, c.InviteMessageTemplate);
  if (t) {
    const q = `${p}.inviteMessageTemplate`;
    const tpl: Record<string, string> = {};
    if (t.SMSMessage != null) tpl.SMSMessage = message(`${q}.sMSMessage`, t.SMSMessage, 6, 140, '.*');
    if (t.EmailMessage != null)
      tpl.EmailMessage = message(`${q}.emailMessage`, t.EmailMessage, 6, 20000, `[${L}\\s*]*`);
    if (t.EmailSubject != null)
      tpl.EmailSubject = message(`${q}.emailSubject`, t.EmailSubject, 1, 140, subject);
    for (const m of [tpl.EmailMessage, tpl.SMSMessage])
      if (m !== undefined && (!m.includes('{username}') || !m.includes('{####}')))
        throw invalidParameter(
          'The invitation message template must contain the {username} and {####} placeholders.',
        );
    out.InviteMessageTemplate = tpl;
  }
  return out;
}

function parseRecovery(raw: unknown): Record<string, unknown> | undefined {
  const r = objectAt('accountRecoverySetting', raw);
  if (!r) return undefined;
  const list = listAt('accountRecoverySetting.recoveryMechanisms', r.RecoveryMechanisms) ?? [];
  if (list.length < 1 || list.length > 2)
    throw invalidParameter(
      `1 validation error detected: Value at 'accountRecoverySetting.recoveryMechanisms' failed to satisfy constraint: Member must have length ${list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2'}`,
    );
  const mechanisms = list.map((m, i) => {
    const p = `accountRecoverySetting.recoveryMechanisms.${i + 1}.member`;
    const o = objectAt(p, m) ?? {};
    return {
      Priority: checkInt(`${p}.priority`, o.Priority, 1, 2),
      Name: checkEnum(`${p}.name`, o.Name, ['verified_email', 'verified_phone_number', 'admin_only']),
    };
  });
  if (new Set(mechanisms.map((m) => m.Priority)).size !== mechanisms.length)
    throw invalidParameter('Invalid account recovery setting: priorities must be unique.');
  if (new Set(mechanisms.map((m) => m.Name)).size !== mechanisms.length)
    throw invalidParameter('Invalid account recovery setting: a recovery mechanism can appear only once.');
  if (mechanisms.length > 1 && mechanisms.some((m) => m.Name === 'admin_only'))
    throw invalidParameter(
      'Invalid account recovery setting: admin_only cannot be combined with another mechanism.',
    );
  return { RecoveryMechanisms: mechanisms };
}

function parseDeviceConfiguration(raw: unknown) {
  const d = objectAt('deviceConfiguration', raw);
  if (!d) return undefined;
  return {
    ChallengeRequiredOnNewDevice:
      d.ChallengeRequiredOnNewDevice == null
        ? false
        : checkBool('deviceConfiguration', d.ChallengeRequiredOnNewDevice),
    DeviceOnlyRememberedOnUserPrompt:
      d.DeviceOnlyRememberedOnUserPrompt == null
        ? false
        : checkBool('deviceConfiguration', d.DeviceOnlyRememberedOnUserPrompt),
  };
}

function parseSmsConfiguration(raw: unknown) {
  const s = objectAt('smsConfiguration', raw);
  if (!s) return undefined;
  const out: Record<string, unknown> = {
    SnsCallerArn: checkArn('smsConfiguration.snsCallerArn', s.SnsCallerArn),
  };
  if (s.ExternalId != null)
    out.ExternalId = checkLength('smsConfiguration.externalId', s.ExternalId, 0, 131072);
  if (s.SnsRegion != null) out.SnsRegion = checkLength('smsConfiguration.snsRegion', s.SnsRegion, 5, 32);
  return out;
}

function parseAddOns(raw: unknown): PoolSettings['UserPoolAddOns'] {
  const a = objectAt('userPoolAddOns', raw);
  if (!a) return undefined;
  const modes = ['OFF', 'AUDIT', 'ENFORCED'] as const;
  const out: NonNullable<PoolSettings['UserPoolAddOns']> = {
    AdvancedSecurityMode: checkEnum('userPoolAddOns.advancedSecurityMode', a.AdvancedSecurityMode, modes),
  };
  const flows = objectAt('userPoolAddOns.advancedSecurityAdditionalFlows', a.AdvancedSecurityAdditionalFlows);
  if (flows)
    out.AdvancedSecurityAdditionalFlows =
      flows.CustomAuthMode == null
        ? {}
        : {
            CustomAuthMode: checkEnum(
              'userPoolAddOns.advancedSecurityAdditionalFlows.customAuthMode',
              flows.CustomAuthMode,
              ['AUDIT', 'ENFORCED'] as const,
            ),
          };
  return out;
}

function parseSignInPolicy(input: Input) {
  const policies = objectAt('policies', input.Policies);
  const s = objectAt('policies.signInPolicy', policies?.SignInPolicy);
  const factors = listAt('policies.signInPolicy.allowedFirstAuthFactors', s?.AllowedFirstAuthFactors) ?? [
    'PASSWORD',
  ];
  const allowed = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
  const list = factors.map((f, i) =>
    checkEnum(`policies.signInPolicy.allowedFirstAuthFactors.${i + 1}.member`, f, allowed),
  );
  if (!list.includes('PASSWORD')) throw invalidParameter('AllowedFirstAuthFactors must include PASSWORD.');
  return { AllowedFirstAuthFactors: [...new Set(list)] };
}

export function parseTags(raw: unknown, path = 'userPoolTags'): Record<string, string> {
  const t = objectAt(path, raw) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(t)) {
    checkLength(`${path}`, k, 1, 128);
    if (typeof v !== 'string') throw invalidParameter(`${path}.${k} must be a string`);
    checkLength(`${path}`, v, 0, 256);
    out[k] = v;
  }
  if (Object.keys(out).length > 50) throw invalidParameter('A user pool can have at most 50 tags.');
  return out;
}

/**
 * Every stored setting of CreateUserPool / UpdateUserPool. Members left out get Cognito's defaults,
 * which is also what UpdateUserPool does with a member it is not given.
 */
export function parseSettings(input: Input, temporaryPasswordDays: number): PoolSettings {
  const template = parseTemplate(input);
  const tier =
    input.UserPoolTier == null
      ? 'ESSENTIALS'
      : checkEnum('userPoolTier', input.UserPoolTier, ['LITE', 'ESSENTIALS', 'PLUS']);
  const settings: PoolSettings = {
    VerificationMessageTemplate: template,
    AdminCreateUserConfig: parseAdminCreateUserConfig(input.AdminCreateUserConfig, temporaryPasswordDays),
    SignInPolicy: parseSignInPolicy(input),
    UserPoolTier: tier,
  };
  if (template.EmailMessage) settings.EmailVerificationMessage = template.EmailMessage as string;
  if (template.EmailSubject) settings.EmailVerificationSubject = template.EmailSubject as string;
  if (template.SmsMessage) settings.SmsVerificationMessage = template.SmsMessage as string;
  if (input.SmsAuthenticationMessage != null)
    settings.SmsAuthenticationMessage = message(
      'smsAuthenticationMessage',
      input.SmsAuthenticationMessage,
      6,
      140,
      smsMessage,
    );
  const recovery = parseRecovery(input.AccountRecoverySetting);
  if (recovery) settings.AccountRecoverySetting = recovery;
  const device = parseDeviceConfiguration(input.DeviceConfiguration);
  if (device) settings.DeviceConfiguration = device;
  const sms = parseSmsConfiguration(input.SmsConfiguration);
  if (sms) settings.SmsConfiguration = sms;
  const addOns = parseAddOns(input.UserPoolAddOns);
  if (addOns) {
    // Threat protection is a Plus-tier feature in Cognito.
    if (addOns.AdvancedSecurityMode !== 'OFF' && tier !== 'PLUS')
      throw new CognitoError(
        'FeatureUnavailableInTierException',
        'Threat protection requires the PLUS tier.',
      );
    settings.UserPoolAddOns = addOns;
  }
  return settings;
}
