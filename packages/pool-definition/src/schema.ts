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
  /** OAuth settings for the hosted UI (AWS only; the local IdP ignores them). */
  callbackUrls: z.array(z.string().url()).default([]),
  logoutUrls: z.array(z.string().url()).default([]),
  readAttributes: z.array(z.string()).optional(),
  writeAttributes: z.array(z.string()).optional(),
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

export const userPoolDefinition = z.object({
  poolName: z.string().min(1).max(128),
  /** Sign in with e-mail as the username (Cognito's UsernameAttributes: ["email"]). */
  usernameAttributes: z.array(z.enum(['email', 'phone_number'])),
  autoVerifiedAttributes: z.array(z.enum(['email', 'phone_number'])),
  passwordPolicy,
  schema: z.array(schemaAttribute),
  groups: z.array(group),
  clients: z.array(appClient).min(1),
  /** Codes Cognito mails: sign-up codes live 24 h, reset codes 1 h (Cognito's own fixed values). */
  mfaConfiguration: z.enum(['OFF', 'OPTIONAL', 'ON']),
  deletionProtection: z.boolean(),
  /** Hosted UI domain prefix on AWS (must be globally unique; override per deployment). */
  domainPrefix: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
});
export type UserPoolDefinition = z.infer<typeof userPoolDefinition>;
