import { passkeyUserVerification, type UserPoolDefinition } from '@app/pool-definition';

/**
 * The Terraform module's inputs, derived from the shared pool definition. The committed
 * `terraform/cognito/pool.auto.tfvars.json` must equal this (a test checks), so the Terraform pool
 * and the CDK pool cannot drift apart. Keys are snake_case like the module's variables.
 */
export function tfvarsFromDefinition(def: UserPoolDefinition) {
  return {
    pool_name: def.poolName,
    username_attributes: def.usernameAttributes,
    auto_verified_attributes: def.autoVerifiedAttributes,
    attributes_require_verification_before_update: def.attributesRequireVerificationBeforeUpdate,
    mfa_configuration: def.mfaConfiguration,
    mfa_factors: def.mfaFactors,
    allowed_first_auth_factors: def.allowedFirstAuthFactors,
    passkey_user_verification: passkeyUserVerification(def) ?? null,
    account_recovery_mechanisms: [{ name: def.accountRecovery, priority: 1 }],
    deletion_protection: def.deletionProtection,
    domain_prefix: def.domainPrefix,
    triggers: {
      pre_sign_up: def.triggers.preSignUp ?? null,
      custom_message: def.triggers.customMessage ?? null,
      post_confirmation: def.triggers.postConfirmation ?? null,
      pre_token_generation: def.triggers.preTokenGeneration ?? null,
    },
    pre_token_generation_version: def.preTokenGenerationVersion,
    password_policy: {
      minimum_length: def.passwordPolicy.minimumLength,
      require_lowercase: def.passwordPolicy.requireLowercase,
      require_uppercase: def.passwordPolicy.requireUppercase,
      require_numbers: def.passwordPolicy.requireNumbers,
      require_symbols: def.passwordPolicy.requireSymbols,
      temporary_password_validity_days: def.passwordPolicy.temporaryPasswordValidityDays,
    },
    schema: def.schema.map((a) => ({
      name: a.name,
      attribute_data_type: a.attributeDataType,
      required: a.required,
      mutable: a.mutable,
    })),
    groups: Object.fromEntries(
      def.groups.map((g) => [
        g.groupName,
        { description: g.description ?? null, precedence: g.precedence ?? null },
      ]),
    ),
    clients: Object.fromEntries(
      def.clients.map((c) => {
        // Whole days stay days; fractions become minutes (Cognito's refresh-token units).
        const days = c.tokenValidity.refreshTokenDays;
        const whole = Number.isInteger(days);
        return [
          c.key,
          {
            name: c.clientName,
            generate_secret: c.generateSecret,
            explicit_auth_flows: c.explicitAuthFlows,
            prevent_user_existence_errors: c.preventUserExistenceErrors,
            enable_token_revocation: c.enableTokenRevocation,
            access_token_minutes: c.tokenValidity.accessTokenMinutes,
            id_token_minutes: c.tokenValidity.idTokenMinutes,
            refresh_token_validity: whole ? days : Math.round(days * 1440),
            refresh_token_unit: whole ? 'days' : 'minutes',
            callback_urls: c.callbackUrls,
            logout_urls: c.logoutUrls,
            oauth_scopes: c.oauthScopes,
            native_app: c.nativeApp,
            refresh_token_rotation: {
              feature: c.refreshTokenRotation.enabled ? 'ENABLED' : 'DISABLED',
              retry_grace_period_seconds: c.refreshTokenRotation.retryGracePeriodSeconds,
            },
          },
        ];
      }),
    ),
    resource_servers: Object.fromEntries(
      def.resourceServers.map((r) => [
        r.identifier,
        { name: r.name, scopes: Object.fromEntries(r.scopes.map((s) => [s.name, s.description])) },
      ]),
    ),
    machine_clients: Object.fromEntries(
      def.machineClients.map((m) => [
        m.key,
        { name: m.clientName, scopes: m.scopes, access_token_minutes: m.accessTokenMinutes },
      ]),
    ),
    // The OIDC provider's scopes and mapping; where it is and its client come from variables (ADR 0162).
    oidc_provider_settings: def.oidcProvider
      ? {
          authorize_scopes: def.oidcProvider.authorizeScopes,
          attribute_mapping: def.oidcProvider.attributeMapping,
        }
      : null,
  };
}

export type PoolTfvars = ReturnType<typeof tfvarsFromDefinition>;
