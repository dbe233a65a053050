import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optStr, str } from '../protocol/params.ts';
import type { PoolMfaRecord, PoolRecord } from '../store/state.ts';
import { poolById } from '../users/lookup.ts';

type Obj = Record<string, unknown>;

function obj(input: Input, name: string): Obj | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${name} must be an object`);
  return v as Obj;
}

/** A message template: Cognito's length limits, and the {####} placeholder the code replaces. */
function template(v: unknown, name: string, min: number, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length < min || v.length > max)
    throw invalidParameter(`${name} must be a string of ${min} to ${max} characters`);
  if (!v.includes('{####}')) throw invalidParameter(`${name} must contain the {####} placeholder`);
  return v;
}

function parseFactors(input: Input, previous: PoolMfaRecord | undefined): PoolMfaRecord {
  const totp = obj(input, 'SoftwareTokenMfaConfiguration');
  const email = obj(input, 'EmailMfaConfiguration');
  const sms = obj(input, 'SmsMfaConfiguration');
  const webAuthn = obj(input, 'WebAuthnConfiguration');
  const out: PoolMfaRecord = { softwareToken: totp?.Enabled === true };
  if (email) {
    const subject = email.Subject;
    if (subject !== undefined && (typeof subject !== 'string' || subject.length < 1 || subject.length > 140))
      throw invalidParameter('EmailMfaConfiguration.Subject must be a string of 1 to 140 characters');
    out.email = {
      message: template(email.Message, 'EmailMfaConfiguration.Message', 6, 20000),
      subject: subject as string | undefined,
    };
  }
  if (sms) {
    const conf = (sms.SmsConfiguration ?? {}) as Obj;
    out.sms = {
      message: template(sms.SmsAuthenticationMessage, 'SmsMfaConfiguration.SmsAuthenticationMessage', 6, 140),
      snsCallerArn: typeof conf.SnsCallerArn === 'string' ? conf.SnsCallerArn : undefined,
      externalId: typeof conf.ExternalId === 'string' ? conf.ExternalId : undefined,
      snsRegion: typeof conf.SnsRegion === 'string' ? conf.SnsRegion : undefined,
    };
  }
  const keptWebAuthn = webAuthn ? parseWebAuthn(webAuthn) : previous?.webAuthn;
  if (keptWebAuthn) out.webAuthn = keptWebAuthn;
  return out;
}

function parseWebAuthn(w: Obj): NonNullable<PoolMfaRecord['webAuthn']> {
  const rp = w.RelyingPartyId;
  if (rp !== undefined && (typeof rp !== 'string' || rp.length < 1 || rp.length > 127))
    throw invalidParameter('WebAuthnConfiguration.RelyingPartyId must be a string of 1 to 127 characters');
  const uv = w.UserVerification ?? 'preferred';
  if (uv !== 'required' && uv !== 'preferred')
    throw invalidParameter('WebAuthnConfiguration.UserVerification must be required or preferred');
  const fc = w.FactorConfiguration;
  if (fc !== undefined && fc !== 'SINGLE_FACTOR' && fc !== 'MULTI_FACTOR_WITH_USER_VERIFICATION')
    throw invalidParameter(
      'WebAuthnConfiguration.FactorConfiguration must be SINGLE_FACTOR or MULTI_FACTOR_WITH_USER_VERIFICATION',
    );
  return {
    relyingPartyId: rp as string | undefined,
    userVerification: uv,
    factorConfiguration: fc as string | undefined,
  };
}

/**
 * The five settings SetUserPoolMfaConfig and GetUserPoolMfaConfig answer with. A pool whose factors
 * were never set answers MfaConfiguration alone, and WebAuthnConfiguration only once set: Terraform's
 * provider reads any block as configured and would plan to remove it (ADR 0137).
 */
export function mfaConfigOf(pool: PoolRecord) {
  const m = pool.mfa;
  return {
    MfaConfiguration: pool.mfaConfiguration,
    SoftwareTokenMfaConfiguration: m ? { Enabled: m.softwareToken } : undefined,
    SmsMfaConfiguration: m?.sms
      ? {
          SmsAuthenticationMessage: m.sms.message,
          SmsConfiguration: m.sms.snsCallerArn
            ? { SnsCallerArn: m.sms.snsCallerArn, ExternalId: m.sms.externalId, SnsRegion: m.sms.snsRegion }
            : undefined,
        }
      : undefined,
    EmailMfaConfiguration: m?.email ? { Message: m.email.message, Subject: m.email.subject } : undefined,
    WebAuthnConfiguration: m?.webAuthn
      ? {
          RelyingPartyId: m.webAuthn.relyingPartyId,
          UserVerification: m.webAuthn.userVerification,
          FactorConfiguration: m.webAuthn.factorConfiguration ?? 'SINGLE_FACTOR',
        }
      : undefined,
  };
}

export const mfaConfigOperations = {
  /**
   * The factor settings replace the previous ones (a factor left out is off; WebAuthnConfiguration
   * left out is kept); MfaConfiguration left out keeps its value. ON or OPTIONAL need a factor; OFF
   * takes none (SoftwareTokenMfaConfiguration may say Enabled: false).
   */
  async SetUserPoolMfaConfig(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const mode = optStr(input, 'MfaConfiguration') ?? pool.mfaConfiguration;
    if (!['OFF', 'ON', 'OPTIONAL'].includes(mode))
      throw invalidParameter(`Invalid MfaConfiguration: ${mode}`);
    const factors = parseFactors(input, pool.mfa);
    // Cognito's words for both (ADR 0214); WebAuthnConfiguration is no MFA factor and goes with OFF.
    const anyFactor = factors.softwareToken || !!factors.email || !!factors.sms;
    if (mode !== 'OFF' && !anyFactor)
      throw invalidParameter(
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
      );
    if (mode === 'OFF' && anyFactor)
      throw invalidParameter(
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
      );
    pool.mfa = factors;
    pool.mfaConfiguration = mode;
    pool.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return mfaConfigOf(pool);
  },

  GetUserPoolMfaConfig(ctx: Ctx, input: Input) {
    return mfaConfigOf(poolById(ctx, str(input, 'UserPoolId')));
  },
};
