import { invalidParameter } from '../protocol/errors.ts';
import type { Input } from '../protocol/params.ts';

/**
 * A pool's LambdaConfig as Cognito's API shapes it (LambdaConfigType): one ARN per trigger, plus the
 * versioned pre-token and custom-sender configs. Kept verbatim so Terraform and CDK read back what
 * they wrote; the runtime (triggers/runtime.ts) maps each ARN to where it runs locally.
 */
export interface LambdaConfigRecord {
  PreSignUp?: string;
  CustomMessage?: string;
  PostConfirmation?: string;
  PreAuthentication?: string;
  PostAuthentication?: string;
  DefineAuthChallenge?: string;
  CreateAuthChallenge?: string;
  VerifyAuthChallengeResponse?: string;
  PreTokenGeneration?: string;
  PreTokenGenerationConfig?: { LambdaArn: string; LambdaVersion: 'V1_0' | 'V2_0' | 'V3_0' };
  UserMigration?: string;
  CustomSMSSender?: { LambdaArn: string; LambdaVersion: 'V1_0' };
  CustomEmailSender?: { LambdaArn: string; LambdaVersion: 'V1_0' };
  KMSKeyID?: string;
}

export const plainTriggers = [
  'PreSignUp',
  'CustomMessage',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'PreTokenGeneration',
  'UserMigration',
  'KMSKeyID',
] as const;

// LambdaConfigType's ARN constraint (API reference): 20..2048 characters matching this pattern.
const arnPattern =
  /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;

function arn(where: string, v: unknown): string {
  if (typeof v !== 'string' || v.length < 20 || v.length > 2048 || !arnPattern.test(v))
    throw invalidParameter(
      `1 validation error detected: Value '${String(v)}' at 'lambdaConfig.${where}' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?`,
    );
  return v;
}

function versioned<V extends string>(where: string, v: unknown, versions: readonly V[]) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${where} must be an object`);
  const o = v as Input;
  const version = o.LambdaVersion;
  if (typeof version !== 'string' || !(versions as readonly string[]).includes(version))
    throw invalidParameter(
      `1 validation error detected: Value '${String(version)}' at 'lambdaConfig.${where}.lambdaVersion' failed to satisfy constraint: Member must satisfy enum value set: [${versions.join(', ')}]`,
    );
  return { LambdaArn: arn(`${where}.lambdaArn`, o.LambdaArn), LambdaVersion: version as V };
}

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * Reads CreateUserPool/UpdateUserPool's LambdaConfig. As Cognito does, a bare PreTokenGeneration ARN
 * reads back with PreTokenGenerationConfig V1_0, and PreTokenGenerationConfig alone fills
 * PreTokenGeneration; two different ARNs are refused. Custom senders need a KMS key.
 */
export function parseLambdaConfig(input: Input): LambdaConfigRecord {
  const raw = input.LambdaConfig;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParameter('LambdaConfig must be an object');
  const o = raw as Input;
  const out: LambdaConfigRecord = {};
  for (const name of plainTriggers)
    if (o[name] !== undefined && o[name] !== null) out[name] = arn(lower(name), o[name]);
  if (o.PreTokenGenerationConfig)
    out.PreTokenGenerationConfig = versioned('preTokenGenerationConfig', o.PreTokenGenerationConfig, [
      'V1_0',
      'V2_0',
      'V3_0',
    ]);
  if (o.CustomSMSSender) out.CustomSMSSender = versioned('customSMSSender', o.CustomSMSSender, ['V1_0']);
  if (o.CustomEmailSender)
    out.CustomEmailSender = versioned('customEmailSender', o.CustomEmailSender, ['V1_0']);
  const ptg = out.PreTokenGenerationConfig;
  if (ptg && out.PreTokenGeneration && ptg.LambdaArn !== out.PreTokenGeneration)
    throw invalidParameter(
      'PreTokenGeneration and PreTokenGenerationConfig.LambdaArn must be the same function.',
    );
  if (ptg) out.PreTokenGeneration = ptg.LambdaArn;
  else if (out.PreTokenGeneration)
    out.PreTokenGenerationConfig = { LambdaArn: out.PreTokenGeneration, LambdaVersion: 'V1_0' };
  if ((out.CustomEmailSender || out.CustomSMSSender) && !out.KMSKeyID)
    throw invalidParameter(
      'KMSKeyID is required when a custom sender (CustomEmailSender, CustomSMSSender) is set.',
    );
  return out;
}

/** The trigger names the runtime invokes (custom senders and KMSKeyID excluded). */
export type TriggerName = Exclude<(typeof plainTriggers)[number], 'KMSKeyID'>;
