import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optStr, optStrList, str } from '../protocol/params.ts';
import { parseLambdaConfig } from '../triggers/lambda-config.ts';
import { poolById } from '../users/lookup.ts';
import { parseEmailConfiguration } from './email-config.ts';
import { defaultPolicy, parsePolicy } from './pools.ts';

/**
 * UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: email and/or phone_number,
 * each of which must also be auto-verified (Cognito refuses the setting otherwise). ADR 0078.
 */
export function parseUpdateSettings(input: Input, autoVerified: string[]): string[] {
  const settings = input.UserAttributeUpdateSettings;
  if (settings === undefined || settings === null) return [];
  if (typeof settings !== 'object' || Array.isArray(settings))
    throw invalidParameter('UserAttributeUpdateSettings must be an object');
  const list = optStrList(settings as Input, 'AttributesRequireVerificationBeforeUpdate') ?? [];
  for (const a of list) {
    if (a !== 'email' && a !== 'phone_number')
      throw invalidParameter(`Invalid AttributesRequireVerificationBeforeUpdate value: ${a}`);
    if (!autoVerified.includes(a))
      throw invalidParameter(
        `Attributes in AttributesRequireVerificationBeforeUpdate must also be in AutoVerifiedAttributes: ${a}`,
      );
  }
  return [...new Set(list)];
}

export const poolUpdateOperations = {
  /**
   * UpdateUserPool for the settings the IdP models. As in Cognito, a setting left out of the request
   * returns to its default (password policy, auto-verified attributes, attribute update settings,
   * MFA, deletion protection, Lambda triggers, e-mail configuration); name, username attributes and schema cannot change here.
   */
  async UpdateUserPool(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const autoVerified = optStrList(input, 'AutoVerifiedAttributes') ?? [];
    for (const a of autoVerified)
      if (a !== 'email' && a !== 'phone_number')
        throw invalidParameter(`Invalid AutoVerifiedAttributes value: ${a}`);
    const requireVerification = parseUpdateSettings(input, autoVerified);
    const passwordPolicy = parsePolicy(input) ?? defaultPolicy;
    const mfa = optStr(input, 'MfaConfiguration') ?? 'OFF';
    const lambdaConfig = parseLambdaConfig(input);
    const emailConfiguration = parseEmailConfiguration(input);
    if (!['OFF', 'ON', 'OPTIONAL'].includes(mfa)) throw invalidParameter(`Invalid MfaConfiguration: ${mfa}`);
    pool.autoVerifiedAttributes = autoVerified;
    pool.attributesRequireVerificationBeforeUpdate = requireVerification;
    pool.passwordPolicy = passwordPolicy;
    pool.mfaConfiguration = mfa;
    pool.lambdaConfig = lambdaConfig;
    pool.emailConfiguration = emailConfiguration;
    pool.deletionProtection = optStr(input, 'DeletionProtection') === 'ACTIVE';
    pool.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },
};
