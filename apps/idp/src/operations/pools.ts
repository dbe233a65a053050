import type { Ctx } from '../context.ts';
import { newPoolId } from '../ids.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optStr, optStrList, str } from '../protocol/params.ts';
import { dict } from '../store/dict.ts';
import type { PasswordPolicyRecord, PoolRecord, SchemaAttributeRecord } from '../store/state.ts';
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

const standard = new Set([
  'email',
  'name',
  'given_name',
  'family_name',
  'phone_number',
  'preferred_username',
  'locale',
]);

export interface NewPool {
  name: string;
  passwordPolicy?: PasswordPolicyRecord;
  usernameAttributes?: string[];
  autoVerifiedAttributes?: string[];
  attributesRequireVerificationBeforeUpdate?: string[];
  schema?: SchemaAttributeRecord[];
  mfaConfiguration?: string;
  deletionProtection?: boolean;
  lambdaConfig?: LambdaConfigRecord;
  emailConfiguration?: EmailConfigurationRecord;
}

export function createPool(ctx: Ctx, input: NewPool): PoolRecord {
  const now = ctx.clock();
  const schema = (input.schema ?? []).map((s) => ({
    ...s,
    // Custom attributes live under custom:, as in Cognito.
    name: standard.has(s.name) || s.name.startsWith('custom:') ? s.name : `custom:${s.name}`,
  }));
  const pool: PoolRecord = {
    id: newPoolId(ctx.region),
    name: input.name,
    region: ctx.region,
    createdAt: now,
    modifiedAt: now,
    passwordPolicy: input.passwordPolicy ?? defaultPolicy,
    usernameAttributes: input.usernameAttributes ?? [],
    autoVerifiedAttributes: input.autoVerifiedAttributes ?? [],
    attributesRequireVerificationBeforeUpdate: input.attributesRequireVerificationBeforeUpdate ?? [],
    schema,
    mfaConfiguration: input.mfaConfiguration ?? 'OFF',
    deletionProtection: input.deletionProtection ?? false,
    lambdaConfig: input.lambdaConfig ?? {},
    ...(input.emailConfiguration ? { emailConfiguration: input.emailConfiguration } : {}),
    groups: dict(),
    users: dict(),
  };
  ctx.store.state.pools[pool.id] = pool;
  return pool;
}

export function describePool(_ctx: Ctx, pool: PoolRecord) {
  const p = pool.passwordPolicy;
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: `arn:aws:cognito-idp:${pool.region}:000000000000:userpool/${pool.id}`,
    Policies: {
      PasswordPolicy: {
        MinimumLength: p.minimumLength,
        RequireUppercase: p.requireUppercase,
        RequireLowercase: p.requireLowercase,
        RequireNumbers: p.requireNumbers,
        RequireSymbols: p.requireSymbols,
        TemporaryPasswordValidityDays: p.temporaryPasswordValidityDays,
      },
    },
    DeletionProtection: pool.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    LambdaConfig: { ...pool.lambdaConfig },
    EmailConfiguration: pool.emailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    CreationDate: epoch(pool.createdAt),
    LastModifiedDate: epoch(pool.modifiedAt),
    SchemaAttributes: [
      {
        Name: 'sub',
        AttributeDataType: 'String',
        Mutable: false,
        Required: true,
        DeveloperOnlyAttribute: false,
      },
      ...pool.schema.map((s) => ({
        Name: s.name,
        AttributeDataType: s.attributeDataType,
        Mutable: s.mutable,
        Required: s.required,
        DeveloperOnlyAttribute: false,
      })),
    ],
    AutoVerifiedAttributes: pool.autoVerifiedAttributes,
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: pool.attributesRequireVerificationBeforeUpdate ?? [],
    },
    UsernameAttributes: pool.usernameAttributes.length > 0 ? pool.usernameAttributes : undefined,
    MfaConfiguration: pool.mfaConfiguration,
    EstimatedNumberOfUsers: Object.keys(pool.users).length,
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: p.temporaryPasswordValidityDays,
    },
    UserPoolTags: {},
    Domain: pool.domain && !pool.domain.certificateArn ? pool.domain.domain : undefined,
    CustomDomain: pool.domain?.certificateArn ? pool.domain.domain : undefined,
  };
}

export function parsePolicy(input: Input): PasswordPolicyRecord | undefined {
  const pp = (input.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined)?.PasswordPolicy;
  if (!pp) return undefined;
  const min = pp.MinimumLength ?? 8;
  if (typeof min !== 'number' || min < 6 || min > 99)
    throw invalidParameter('Password policy minimum length must be between 6 and 99.');
  return {
    minimumLength: min,
    requireUppercase: pp.RequireUppercase === true,
    requireLowercase: pp.RequireLowercase === true,
    requireNumbers: pp.RequireNumbers === true,
    requireSymbols: pp.RequireSymbols === true,
    temporaryPasswordValidityDays:
      typeof pp.TemporaryPasswordValidityDays === 'number' ? pp.TemporaryPasswordValidityDays : 7,
  };
}

function parseSchema(input: Input): SchemaAttributeRecord[] | undefined {
  const s = input.Schema;
  if (s === undefined) return undefined;
  if (!Array.isArray(s)) throw invalidParameter('Schema must be a list');
  return s.map((a) => {
    if (!a || typeof a.Name !== 'string') throw invalidParameter('Every schema attribute needs a Name');
    return {
      name: a.Name,
      attributeDataType: a.AttributeDataType ?? 'String',
      required: a.Required === true,
      mutable: a.Mutable !== false,
    };
  });
}

export const poolOperations = {
  async CreateUserPool(ctx: Ctx, input: Input) {
    const usernameAttributes = optStrList(input, 'UsernameAttributes') ?? [];
    for (const a of usernameAttributes)
      if (a !== 'email' && a !== 'phone_number')
        throw invalidParameter(`Invalid UsernameAttributes value: ${a}`);
    const autoVerifiedAttributes = optStrList(input, 'AutoVerifiedAttributes') ?? [];
    const pool = createPool(ctx, {
      name: str(input, 'PoolName'),
      passwordPolicy: parsePolicy(input),
      usernameAttributes,
      autoVerifiedAttributes,
      attributesRequireVerificationBeforeUpdate: parseUpdateSettings(input, autoVerifiedAttributes),
      schema: parseSchema(input),
      mfaConfiguration: optStr(input, 'MfaConfiguration'),
      deletionProtection: optStr(input, 'DeletionProtection') === 'ACTIVE',
      lambdaConfig: parseLambdaConfig(input),
      emailConfiguration: parseEmailConfiguration(input),
    });
    await ctx.store.commit();
    return { UserPool: describePool(ctx, pool) };
  },

  DescribeUserPool(ctx: Ctx, input: Input) {
    return { UserPool: describePool(ctx, poolById(ctx, str(input, 'UserPoolId'))) };
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
        CreationDate: epoch(p.createdAt),
        LastModifiedDate: epoch(p.modifiedAt),
      })),
      NextToken: next,
    };
  },

  async DeleteUserPool(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    if (pool.deletionProtection)
      throw invalidParameter('The user pool cannot be deleted because deletion protection is activated.');
    delete ctx.store.state.pools[pool.id];
    for (const c of Object.values(ctx.store.state.clients))
      if (c.userPoolId === pool.id) delete ctx.store.state.clients[c.clientId];
    await ctx.store.commit();
    return {};
  },
};
