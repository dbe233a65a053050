import type { PoolRecord, PoolSettings } from '../store/state.ts';
import { epoch } from '../users/shape.ts';
import { schemaOf, schemaType } from './schema.ts';
import { parseSettings } from './settings.ts';

/** The stored settings, or Cognito's defaults for a pool from an older state file. */
export function settingsOf(pool: PoolRecord): PoolSettings {
  return pool.settings ?? parseSettings({}, pool.passwordPolicy.temporaryPasswordValidityDays);
}

export const poolArn = (pool: PoolRecord) =>
  `arn:aws:cognito-idp:${pool.region}:000000000000:userpool/${pool.id}`;

/** UserPoolType, as CreateUserPool and DescribeUserPool return it: every member Cognito returns. */
export function describePool(pool: PoolRecord) {
  const p = pool.passwordPolicy;
  const s = settingsOf(pool);
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(pool),
    Policies: {
      PasswordPolicy: {
        MinimumLength: p.minimumLength,
        RequireUppercase: p.requireUppercase,
        RequireLowercase: p.requireLowercase,
        RequireNumbers: p.requireNumbers,
        RequireSymbols: p.requireSymbols,
        ...(p.passwordHistorySize !== undefined ? { PasswordHistorySize: p.passwordHistorySize } : {}),
        TemporaryPasswordValidityDays: p.temporaryPasswordValidityDays,
      },
      SignInPolicy: s.SignInPolicy,
    },
    DeletionProtection: pool.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    LambdaConfig: { ...pool.lambdaConfig },
    LastModifiedDate: epoch(pool.modifiedAt),
    CreationDate: epoch(pool.createdAt),
    SchemaAttributes: schemaOf(pool.schema).map(schemaType),
    AutoVerifiedAttributes: pool.autoVerifiedAttributes,
    ...(pool.aliasAttributes?.length ? { AliasAttributes: pool.aliasAttributes } : {}),
    ...(pool.usernameAttributes.length ? { UsernameAttributes: pool.usernameAttributes } : {}),
    ...(s.SmsVerificationMessage ? { SmsVerificationMessage: s.SmsVerificationMessage } : {}),
    ...(s.EmailVerificationMessage ? { EmailVerificationMessage: s.EmailVerificationMessage } : {}),
    ...(s.EmailVerificationSubject ? { EmailVerificationSubject: s.EmailVerificationSubject } : {}),
    VerificationMessageTemplate: s.VerificationMessageTemplate,
    ...(s.SmsAuthenticationMessage ? { SmsAuthenticationMessage: s.SmsAuthenticationMessage } : {}),
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: pool.attributesRequireVerificationBeforeUpdate ?? [],
    },
    MfaConfiguration: pool.mfaConfiguration,
    ...(s.DeviceConfiguration ? { DeviceConfiguration: s.DeviceConfiguration } : {}),
    EstimatedNumberOfUsers: Object.keys(pool.users).length,
    EmailConfiguration: pool.emailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    ...(s.SmsConfiguration ? { SmsConfiguration: s.SmsConfiguration } : {}),
    UserPoolTags: { ...(pool.tags ?? {}) },
    ...(pool.domain && !pool.domain.certificateArn ? { Domain: pool.domain.domain } : {}),
    ...(pool.domain?.certificateArn ? { CustomDomain: pool.domain.domain } : {}),
    AdminCreateUserConfig: s.AdminCreateUserConfig,
    ...(s.UserPoolAddOns ? { UserPoolAddOns: s.UserPoolAddOns } : {}),
    ...(pool.usernameCaseSensitive !== undefined
      ? { UsernameConfiguration: { CaseSensitive: pool.usernameCaseSensitive } }
      : {}),
    ...(s.AccountRecoverySetting ? { AccountRecoverySetting: s.AccountRecoverySetting } : {}),
    UserPoolTier: s.UserPoolTier,
  };
}
