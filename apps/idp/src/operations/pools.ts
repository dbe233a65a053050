import type { Ctx } from '../context.ts';
import { newPoolId } from '../ids.ts';
import { checkEnum, checkLength, checkPattern } from '../pools/constraints.ts';
import { describePool } from '../pools/describe.ts';
import { buildSchema } from '../pools/schema.ts';
import { parseSettings, parseTags } from '../pools/settings.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optStr, optStrList, str } from '../protocol/params.ts';
import { dict } from '../store/dict.ts';
import type {
  PasswordPolicyRecord,
  PoolMfaRecord,
  PoolRecord,
  PoolSettings,
  SchemaAttributeRecord,
} from '../store/state.ts';
import { type LambdaConfigRecord, parseLambdaConfig } from '../triggers/lambda-config.ts';
import { poolById } from '../users/lookup.ts';
import { epoch } from '../users/shape.ts';
import { type EmailConfigurationRecord, parseEmailConfiguration } from './email-config.ts';
import { paginate } from './paging.ts';
import { parseUpdateSettings } from './pool-update.ts';

/** Cognito's defaults when CreateUserPool gives no password policy. */
export const defaultPolicy: PasswordPolicyRecord = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

export interface NewPool {
  name: string;
  passwordPolicy?: PasswordPolicyRecord;
  usernameAttributes?: string[];
  aliasAttributes?: string[];
  usernameCaseSensitive?: boolean;
  autoVerifiedAttributes?: string[];
  attributesRequireVerificationBeforeUpdate?: string[];
  /** The full schema (buildSchema); absent → the standard attributes. */
  schema?: SchemaAttributeRecord[];
  mfaConfiguration?: string;
  deletionProtection?: boolean;
  settings?: PoolSettings;
  tags?: Record<string, string>;
  lambdaConfig?: LambdaConfigRecord;
  emailConfiguration?: EmailConfigurationRecord;
}

export function createPool(ctx: Ctx, input: NewPool): PoolRecord {
  const now = ctx.clock();
  const passwordPolicy = input.passwordPolicy ?? defaultPolicy;
  const pool: PoolRecord = {
    id: newPoolId(ctx.region),
    name: input.name,
    region: ctx.region,
    createdAt: now,
    modifiedAt: now,
    passwordPolicy,
    usernameAttributes: input.usernameAttributes ?? [],
    ...(input.aliasAttributes?.length ? { aliasAttributes: input.aliasAttributes } : {}),
    ...(input.usernameCaseSensitive !== undefined
      ? { usernameCaseSensitive: input.usernameCaseSensitive }
      : {}),
    autoVerifiedAttributes: input.autoVerifiedAttributes ?? [],
    attributesRequireVerificationBeforeUpdate: input.attributesRequireVerificationBeforeUpdate ?? [],
    schema: input.schema ?? buildSchema([]),
    mfaConfiguration: input.mfaConfiguration ?? 'OFF',
    deletionProtection: input.deletionProtection ?? false,
    settings: input.settings ?? parseSettings({}, passwordPolicy.temporaryPasswordValidityDays),
    tags: dict(input.tags ?? {}),
    lambdaConfig: input.lambdaConfig ?? {},
    ...(input.emailConfiguration ? { emailConfiguration: input.emailConfiguration } : {}),
    groups: dict(),
    users: dict(),
  };
  ctx.store.state.pools[pool.id] = pool;
  // The stored record as the store tracks it: later changes through it are written (ADR 0184).
  return ctx.store.state.pools[pool.id]!;
}

export function parsePolicy(input: Input): PasswordPolicyRecord | undefined {
  const pp = (input.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined)?.PasswordPolicy;
  if (!pp) return undefined;
  const min = pp.MinimumLength ?? 8;
  if (typeof min !== 'number' || min < 6 || min > 99)
    throw invalidParameter('Password policy minimum length must be between 6 and 99.');
  const history = pp.PasswordHistorySize;
  if (
    history !== undefined &&
    (typeof history !== 'number' || !Number.isInteger(history) || history < 0 || history > 24)
  )
    throw invalidParameter(
      `1 validation error detected: Value '${history}' at 'policies.passwordPolicy.passwordHistorySize' failed to satisfy constraint: Member must have value less than or equal to 24`,
    );
  return {
    minimumLength: min,
    requireUppercase: pp.RequireUppercase === true,
    requireLowercase: pp.RequireLowercase === true,
    requireNumbers: pp.RequireNumbers === true,
    requireSymbols: pp.RequireSymbols === true,
    temporaryPasswordValidityDays:
      typeof pp.TemporaryPasswordValidityDays === 'number' ? pp.TemporaryPasswordValidityDays : 7,
    ...(typeof history === 'number' ? { passwordHistorySize: history } : {}),
  };
}

const verifiable = ['email', 'phone_number'] as const;

/** AutoVerifiedAttributes: email and/or phone_number (CreateUserPool and UpdateUserPool). */
export function parseAutoVerified(input: Input): string[] {
  const list = optStrList(input, 'AutoVerifiedAttributes') ?? [];
  for (const [i, a] of list.entries()) checkEnum(`autoVerifiedAttributes.${i + 1}.member`, a, verifiable);
  return [...new Set(list)];
}

export function parseMfa(input: Input): string {
  const mfa = input.MfaConfiguration;
  return mfa == null ? 'OFF' : checkEnum('mfaConfiguration', mfa, ['OFF', 'ON', 'OPTIONAL']);
}

/**
 * MfaConfiguration ON or OPTIONAL on CreateUserPool or UpdateUserPool (ADR 0214). A pool that has a
 * factor on (SetUserPoolMfaConfig) keeps it. One without needs SMS as Cognito had it before
 * SetUserPoolMfaConfig: an SmsConfiguration and phone_number among the auto-verified attributes, which
 * turn SMS MFA on (the pool's SmsAuthenticationMessage, else the default); otherwise Cognito's
 * InvalidParameterException. Returns the pool's factors after the call.
 */
export function mfaFactorsFor(
  mode: string,
  current: PoolMfaRecord | undefined,
  settings: PoolSettings,
  autoVerified: string[],
): PoolMfaRecord | undefined {
  if (mode === 'OFF') return current;
  if (current && (current.softwareToken || current.email || current.sms)) return current;
  const sns = settings.SmsConfiguration;
  if (!sns || !autoVerified.includes('phone_number'))
    throw invalidParameter(
      'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
    );
  return {
    ...current,
    softwareToken: false,
    sms: {
      message: settings.SmsAuthenticationMessage,
      snsCallerArn: sns.SnsCallerArn,
      externalId: sns.ExternalId,
      snsRegion: sns.SnsRegion,
    },
  };
}

export function parseDeletionProtection(input: Input): boolean {
  const d = input.DeletionProtection;
  return d != null && checkEnum('deletionProtection', d, ['ACTIVE', 'INACTIVE']) === 'ACTIVE';
}

export function parsePoolName(v: unknown): string {
  return checkPattern('poolName', checkLength('poolName', v, 1, 128), '[\\w\\s+=,.@-]+');
}

function parseSignInAttributes(input: Input) {
  const usernameAttributes = optStrList(input, 'UsernameAttributes') ?? [];
  for (const [i, a] of usernameAttributes.entries())
    checkEnum(`usernameAttributes.${i + 1}.member`, a, verifiable);
  const aliasAttributes = optStrList(input, 'AliasAttributes') ?? [];
  for (const [i, a] of aliasAttributes.entries())
    checkEnum(`aliasAttributes.${i + 1}.member`, a, ['phone_number', 'email', 'preferred_username']);
  if (usernameAttributes.length && aliasAttributes.length)
    throw invalidParameter('Only one of aliasAttributes or usernameAttributes can be set in a User Pool.');
  const config = input.UsernameConfiguration as { CaseSensitive?: unknown } | undefined | null;
  if (config != null && typeof config.CaseSensitive !== 'boolean')
    throw invalidParameter(
      "1 validation error detected: Value null at 'usernameConfiguration.caseSensitive' failed to satisfy constraint: Member must not be null",
    );
  return {
    usernameAttributes: [...new Set(usernameAttributes)],
    aliasAttributes: [...new Set(aliasAttributes)],
    usernameCaseSensitive: config == null ? undefined : (config.CaseSensitive as boolean),
  };
}

export const poolOperations = {
  async CreateUserPool(ctx: Ctx, input: Input) {
    const name = input.PoolName == null ? str(input, 'PoolName') : parsePoolName(input.PoolName);
    const autoVerifiedAttributes = parseAutoVerified(input);
    const passwordPolicy = parsePolicy(input) ?? defaultPolicy;
    const mfaConfiguration = parseMfa(input);
    const settings = parseSettings(input, passwordPolicy.temporaryPasswordValidityDays);
    const mfa = mfaFactorsFor(mfaConfiguration, undefined, settings, autoVerifiedAttributes);
    const pool = createPool(ctx, {
      name,
      passwordPolicy,
      ...parseSignInAttributes(input),
      autoVerifiedAttributes,
      attributesRequireVerificationBeforeUpdate: parseUpdateSettings(input, autoVerifiedAttributes),
      schema: buildSchema(input.Schema),
      mfaConfiguration,
      deletionProtection: parseDeletionProtection(input),
      settings,
      tags: parseTags(input.UserPoolTags),
      lambdaConfig: parseLambdaConfig(input),
      emailConfiguration: parseEmailConfiguration(input),
    });
    if (mfa) pool.mfa = mfa;
    await ctx.store.commit();
    return { UserPool: describePool(pool) };
  },

  DescribeUserPool(ctx: Ctx, input: Input) {
    return { UserPool: describePool(poolById(ctx, str(input, 'UserPoolId'))) };
  },

  ListUserPools(ctx: Ctx, input: Input) {
    const max = input.MaxResults;
    if (typeof max !== 'number' || max < 1 || max > 60)
      throw invalidParameter('MaxResults must be an integer between 1 and 60');
    const pools = Object.values(ctx.store.state.pools).sort((a, b) => a.id.localeCompare(b.id));
    const { page, next } = paginate(pools, (p) => p.id, max, optStr(input, 'NextToken'));
    return {
      UserPools: page.map((p) => ({
        Id: p.id,
        Name: p.name,
        LambdaConfig: { ...p.lambdaConfig },
        LastModifiedDate: epoch(p.modifiedAt),
        CreationDate: epoch(p.createdAt),
      })),
      NextToken: next,
    };
  },

  async DeleteUserPool(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    if (pool.deletionProtection)
      throw invalidParameter(
        'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
      );
    delete ctx.store.state.pools[pool.id];
    for (const c of Object.values(ctx.store.state.clients))
      if (c.userPoolId === pool.id) delete ctx.store.state.clients[c.clientId];
    await ctx.store.commit();
    return {};
  },
};
