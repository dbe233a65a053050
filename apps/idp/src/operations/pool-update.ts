import type { Ctx } from '../context.ts';
import { addCustomAttributes, schemaOf } from '../pools/schema.ts';
import { parseSettings, parseTags } from '../pools/settings.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optStrList, str } from '../protocol/params.ts';
import { dict } from '../store/dict.ts';
import { parseLambdaConfig } from '../triggers/lambda-config.ts';
import { poolById } from '../users/lookup.ts';
import { parseEmailConfiguration } from './email-config.ts';
import {
  defaultPolicy,
  mfaFactorsFor,
  parseAutoVerified,
  parseDeletionProtection,
  parseMfa,
  parsePolicy,
  parsePoolName,
} from './pools.ts';

/**
 * UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: email and/or phone_number,
 * each of which must also be auto-verified (Cognito refuses the setting otherwise). ADR 0078.
 * Left out, it is `kept` (UpdateUserPool: the pool's current list, ADR 0219; CreateUserPool: none),
 * and what is kept must still fit the AutoVerifiedAttributes of the request.
 */
export function parseUpdateSettings(input: Input, autoVerified: string[], kept: string[] = []): string[] {
  const settings = input.UserAttributeUpdateSettings;
  let list = kept;
  if (settings !== undefined && settings !== null) {
    if (typeof settings !== 'object' || Array.isArray(settings))
      throw invalidParameter('UserAttributeUpdateSettings must be an object');
    list = optStrList(settings as Input, 'AttributesRequireVerificationBeforeUpdate') ?? [];
  }
  for (const a of list) {
    if (a !== 'email' && a !== 'phone_number')
      throw invalidParameter(`Invalid AttributesRequireVerificationBeforeUpdate value: ${a}`);
    if (!autoVerified.includes(a))
      throw invalidParameter(
        'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
      );
  }
  return [...new Set(list)];
}

export const poolUpdateOperations = {
  /**
   * UpdateUserPool. As in Cognito, every setting left out of the request returns to its default
   * (password and sign-in policy, auto-verified attributes, messages, Lambda triggers, recovery,
   * device/e-mail/SMS configuration, add-ons, MFA, deletion protection). The pool name, tier and tags
   * stay unless given, and so does UserAttributeUpdateSettings, which must then still fit the
   * request's AutoVerifiedAttributes (Cognito refuses an update that leaves both out of a pool that
   * requires verification, ADR 0219); schema, username and alias attributes cannot change here.
   * Everything is checked before anything changes.
   */
  async UpdateUserPool(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const autoVerified = parseAutoVerified(input);
    const requireVerification = parseUpdateSettings(
      input,
      autoVerified,
      pool.attributesRequireVerificationBeforeUpdate ?? [],
    );
    const passwordPolicy = parsePolicy(input) ?? defaultPolicy;
    const mfa = parseMfa(input);
    const name = input.PoolName == null ? pool.name : parsePoolName(input.PoolName);
    const previousTier = pool.settings?.UserPoolTier;
    const settings = parseSettings(
      input.UserPoolTier == null && previousTier ? { ...input, UserPoolTier: previousTier } : input,
      passwordPolicy.temporaryPasswordValidityDays,
    );
    const mfaFactors = mfaFactorsFor(mfa, pool.mfa, settings, autoVerified);
    const tags = input.UserPoolTags == null ? undefined : parseTags(input.UserPoolTags);
    const lambdaConfig = parseLambdaConfig(input);
    const emailConfiguration = parseEmailConfiguration(input);
    pool.name = name;
    pool.autoVerifiedAttributes = autoVerified;
    pool.attributesRequireVerificationBeforeUpdate = requireVerification;
    pool.passwordPolicy = passwordPolicy;
    pool.mfaConfiguration = mfa;
    if (mfaFactors) pool.mfa = mfaFactors;
    pool.deletionProtection = parseDeletionProtection(input);
    pool.settings = settings;
    pool.lambdaConfig = lambdaConfig;
    pool.emailConfiguration = emailConfiguration;
    if (tags) pool.tags = dict(tags);
    pool.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },

  /** AddCustomAttributes: new custom (or dev:custom) attributes; existing ones cannot change. */
  async AddCustomAttributes(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    pool.schema = addCustomAttributes(schemaOf(pool.schema), input.CustomAttributes);
    pool.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return {};
  },
};
