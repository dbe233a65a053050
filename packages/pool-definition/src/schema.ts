import { z } from 'zod';

/**
 * The one user-pool definition. The local IdP bootstraps from it and the CDK/Terraform code
 * provisions Cognito from it, so local and AWS cannot drift apart. Field names follow
 * Cognito's API (CreateUserPool / CreateUserPoolClient) where one exists.
 */
export const authFlow = z.enum([
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_CUSTOM_AUTH',
  // Choice-based sign-in (USER_AUTH: password, SRP, e-mail code, passkey), ADR 0117.
  'ALLOW_USER_AUTH',
]);
export type AuthFlow = z.infer<typeof authFlow>;

export const passwordPolicy = z.object({
  minimumLength: z.number().int().min(6).max(99),
  requireLowercase: z.boolean(),
  requireUppercase: z.boolean(),
  requireNumbers: z.boolean(),
  requireSymbols: z.boolean(),
  temporaryPasswordValidityDays: z.number().int().min(0).max(365),
});
export type PasswordPolicy = z.infer<typeof passwordPolicy>;

/** Token lifetimes as Cognito counts them: access/ID in minutes, refresh in days. */
export const tokenValidity = z.object({
  accessTokenMinutes: z.number().int().min(5).max(1440),
  idTokenMinutes: z.number().int().min(5).max(1440),
  refreshTokenDays: z
    .number()
    .min(1 / 24)
    .max(3650),
});
export type TokenValidity = z.infer<typeof tokenValidity>;

export const appClient = z.object({
  /** Stable key other parts use to find this client (e.g. "web", "backend"). */
  key: z.string().regex(/^[a-z][a-z0-9-]*$/),
  clientName: z.string().min(1).max(128),
  generateSecret: z.boolean(),
  explicitAuthFlows: z.array(authFlow).min(1),
  preventUserExistenceErrors: z.enum(['ENABLED', 'LEGACY']),
  enableTokenRevocation: z.boolean(),
  tokenValidity,
  /**
   * Managed-login URLs. A client with callback URLs uses the OAuth server: the code grant with
   * `oauthScopes` (the same rule on AWS and in the local IdP).
   */
  callbackUrls: z.array(z.string().url()).default([]),
  logoutUrls: z.array(z.string().url()).default([]),
  /**
   * AllowedOAuthScopes of a client with callback URLs. `aws.cognito.signin.user.admin` lets its
   * hosted-page tokens call the user-pool API (GetUser, ChangePassword, …) like SRP tokens.
   */
  oauthScopes: z
    .array(z.enum(['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin']))
    .default(['openid', 'email', 'profile']),
  /**
   * RefreshTokenRotation: each refresh returns a new refresh token; the old one works for
   * `retryGracePeriodSeconds` (0–60). A rotating client cannot use REFRESH_TOKEN_AUTH (ADR 0082).
   */
  refreshTokenRotation: z
    .object({ enabled: z.boolean(), retryGracePeriodSeconds: z.number().int().min(0).max(60) })
    .default({ enabled: false, retryGracePeriodSeconds: 0 }),
  readAttributes: z.array(z.string()).optional(),
  writeAttributes: z.array(z.string()).optional(),
  /**
   * A native app (the command-line client, RFC 8252): its callback URLs are its own loopback
   * redirects, `http://localhost:<fixed port>/…`, and the stacks never add the web app's URLs to it.
   * Public and code + PKCE only (ADR 0197).
   */
  nativeApp: z.boolean().default(false),
});
export type AppClient = z.infer<typeof appClient>;

export const group = z.object({
  groupName: z
    .string()
    .regex(/^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u)
    .max(128),
  description: z.string().max(2048).optional(),
  precedence: z.number().int().min(0).optional(),
});
export type Group = z.infer<typeof group>;

export const schemaAttribute = z.object({
  name: z.string().min(1).max(20),
  attributeDataType: z.enum(['String', 'Number', 'DateTime', 'Boolean']),
  required: z.boolean(),
  mutable: z.boolean(),
});
export type SchemaAttribute = z.infer<typeof schemaAttribute>;

/** A resource server and its custom scopes; clients name them `<identifier>/<scope>`. */
export const resourceServer = z.object({
  identifier: z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/),
  name: z.string().regex(/^[\w\s+=,.@-]{1,256}$/),
  scopes: z
    .array(
      z.object({
        name: z.string().regex(/^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/),
        description: z.string().min(1).max(256),
      }),
    )
    .min(1),
});
export type ResourceServer = z.infer<typeof resourceServer>;

/**
 * A machine (client-credentials) client: always a secret, no user sign-in, access tokens whose `sub`
 * is the client id and whose scopes are resource-server scopes only.
 */
export const machineClient = z.object({
  key: z.string().regex(/^[a-z][a-z0-9-]*$/),
  clientName: z.string().min(1).max(128),
  scopes: z.array(z.string().min(1)).min(1),
  accessTokenMinutes: z.number().int().min(5).max(1440),
});
export type MachineClient = z.infer<typeof machineClient>;

export const userPoolDefinition = z
  .object({
    poolName: z.string().min(1).max(128),
    /** Sign in with e-mail as the username (Cognito's UsernameAttributes: ["email"]). */
    usernameAttributes: z.array(z.enum(['email', 'phone_number'])),
    autoVerifiedAttributes: z.array(z.enum(['email', 'phone_number'])),
    /**
     * Cognito's UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate: a changed e-mail
     * (or phone) takes effect only once its code is verified; until then the old value stays, for
     * sign-in too (ADR 0078). Each must also be auto-verified.
     */
    attributesRequireVerificationBeforeUpdate: z.array(z.enum(['email', 'phone_number'])).default([]),
    passwordPolicy,
    schema: z.array(schemaAttribute),
    groups: z.array(group),
    clients: z.array(appClient).min(1),
    /**
     * MFA: OFF, OPTIONAL (users who turn a factor on are asked for it) or ON (everyone; users without
     * a factor set one up at sign-in). ADR 0116.
     */
    mfaConfiguration: z.enum(['OFF', 'OPTIONAL', 'ON']),
    /**
     * The second factors users may turn on: an authenticator app (TOTP) and/or codes by e-mail. E-mail
     * codes need the pool to send through SES on AWS (the CDK stack's `email` setting); SMS is not offered.
     */
    mfaFactors: z.array(z.enum(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'])).default([]),
    /**
     * Choice-based sign-in (USER_AUTH): the first factors a client with ALLOW_USER_AUTH may offer
     * (Cognito's SignInPolicy.AllowedFirstAuthFactors; PASSWORD is required). ADR 0141.
     */
    allowedFirstAuthFactors: z
      .array(z.enum(['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN']))
      .default(['PASSWORD'])
      .refine((f) => f.includes('PASSWORD'), 'allowedFirstAuthFactors must include PASSWORD'),
    /**
     * Passkeys (Cognito's WebAuthnConfiguration): whether authenticators must verify the user (PIN,
     * biometrics). The relying-party id is per deployment (CDK context / Terraform variable), not here.
     * CDK and Terraform configure it when set or when WEB_AUTHN is a first factor. ADR 0142.
     */
    passkeys: z.object({ userVerification: z.enum(['required', 'preferred']) }).optional(),
    /**
     * Where ForgotPassword sends the reset code (Cognito's AccountRecoverySetting): the verified
     * e-mail address, or nowhere (admin_only: only an administrator resets passwords). No SMS, as
     * for MFA. CDK, Terraform and the local IdP all set it from here.
     */
    accountRecovery: z.enum(['verified_email', 'admin_only']).default('verified_email'),
    deletionProtection: z.boolean(),
    /** Hosted UI domain prefix on AWS (must be globally unique; override per deployment). */
    domainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    resourceServers: z.array(resourceServer).default([]),
    /** Client-credentials clients; the local IdP, the CDK stack and the Terraform module create them. */
    machineClients: z.array(machineClient).default([]),
    /**
     * Sign-in through an external OpenID Connect provider ("Sign in with Google"), offered by the app
     * clients with callback URLs. What is the same everywhere lives here; where the provider is and its
     * client credentials are configuration: the local mock provider (ADR 0160) plays it under
     * `localName`, CDK and Terraform read the issuer, client id and secret from their settings (ADR 0162).
     */
    oidcProvider: z
      .object({
        localName: z.string().regex(/^[^_\s][^_\s]{1,30}$/),
        authorizeScopes: z.string().regex(/(^|\s)openid(\s|$)/),
        attributeMapping: z.record(z.string(), z.string()),
      })
      .optional(),
    /**
     * The pool's Lambda triggers, each naming a handler of `functions/` (a key of
     * functions/functions.json): the local IdP runs that file, CDK bundles and attaches it (ADR 0121).
     */
    triggers: z
      .object({
        preSignUp: z.string().optional(),
        customMessage: z.string().optional(),
        postConfirmation: z.string().optional(),
        preTokenGeneration: z.string().optional(),
      })
      .default({}),
    /** The pre-token event version: V2_0 customises access tokens too (Essentials plan on AWS). */
    preTokenGenerationVersion: z.enum(['V1_0', 'V2_0', 'V3_0']).default('V2_0'),
    /**
     * Who sends Cognito's e-mails: DEVELOPER is Amazon SES with the deployment's own identity, the only
     * way a CustomMessage function may set the subject and body (the local IdP stands in with its mailbox).
     */
    emailSendingAccount: z.enum(['COGNITO_DEFAULT', 'DEVELOPER']).default('COGNITO_DEFAULT'),
  })
  .superRefine((def, ctx) => {
    if (def.mfaConfiguration !== 'OFF' && def.mfaFactors.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['mfaFactors'],
        message: `MFA ${def.mfaConfiguration} needs at least one factor in mfaFactors`,
      });
    for (const a of def.attributesRequireVerificationBeforeUpdate)
      if (!def.autoVerifiedAttributes.includes(a))
        ctx.addIssue({
          code: 'custom',
          path: ['attributesRequireVerificationBeforeUpdate'],
          message: `${a} must be auto-verified to require verification before update`,
        });
    if (def.triggers.customMessage && def.emailSendingAccount !== 'DEVELOPER')
      ctx.addIssue({
        code: 'custom',
        path: ['triggers', 'customMessage'],
        message: 'a CustomMessage trigger can set the e-mail only with emailSendingAccount DEVELOPER (SES)',
      });
    const scopes = new Set(
      def.resourceServers.flatMap((r) => r.scopes.map((s) => `${r.identifier}/${s.name}`)),
    );
    def.clients.forEach((c, i) => {
      if (c.refreshTokenRotation.enabled && c.explicitAuthFlows.includes('ALLOW_REFRESH_TOKEN_AUTH'))
        ctx.addIssue({
          code: 'custom',
          path: ['clients', i, 'refreshTokenRotation'],
          message: `${c.key}: a rotating client refreshes with GetTokensFromRefreshToken; drop ALLOW_REFRESH_TOKEN_AUTH`,
        });
    });
    def.clients.forEach((c, i) => {
      if (c.nativeApp)
        for (const message of nativeAppProblems(c))
          ctx.addIssue({ code: 'custom', path: ['clients', i], message: `${c.key}: ${message}` });
    });
    const keys = new Set(def.clients.map((c) => c.key));
    def.machineClients.forEach((m, i) => {
      if (keys.has(m.key))
        ctx.addIssue({
          code: 'custom',
          path: ['machineClients', i, 'key'],
          message: `duplicate client key ${m.key}`,
        });
      for (const s of m.scopes)
        if (!scopes.has(s))
          ctx.addIssue({
            code: 'custom',
            path: ['machineClients', i, 'scopes'],
            message: `no resource server defines the scope ${s}`,
          });
    });
  });
export type UserPoolDefinition = z.infer<typeof userPoolDefinition>;

/**
 * What a native (command-line) client must be: public, no sign-in flow but refresh, and callback URLs
 * on `http://localhost` with an explicit port — Cognito allows plain HTTP only for localhost and
 * matches the port exactly, so the CLI listens on that one port (ADR 0197).
 */
function nativeAppProblems(c: z.infer<typeof appClient>): string[] {
  const problems: string[] = [];
  if (c.generateSecret) problems.push('a native app is public: no client secret');
  if (c.explicitAuthFlows.some((f) => f !== 'ALLOW_REFRESH_TOKEN_AUTH'))
    problems.push('a native app signs in through the managed login only: ALLOW_REFRESH_TOKEN_AUTH alone');
  if (c.callbackUrls.length === 0) problems.push('a native app needs its loopback callback URL');
  for (const url of c.callbackUrls) {
    const u = new URL(url);
    if (u.protocol !== 'http:' || u.hostname !== 'localhost' || u.port === '')
      problems.push(`callback ${url} must be http://localhost:<port>/… (a fixed loopback port)`);
  }
  return problems;
}
