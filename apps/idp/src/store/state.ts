/**
 * Everything the IdP keeps, as one JSON document in the data folder (see store.ts for how it is written).
 * Timestamps are epoch milliseconds.
 */
export interface PasswordPolicyRecord {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

export interface SchemaAttributeRecord {
  name: string;
  attributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  required: boolean;
  mutable: boolean;
}

export interface GroupRecord {
  groupName: string;
  description?: string;
  precedence?: number;
  roleArn?: string;
  createdAt: number;
  modifiedAt: number;
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

/** A one-time code sent by mail; only its hash is kept. */
export interface CodeRecord {
  hash: string;
  expiresAt: number;
  failedAttempts: number;
}

export interface UserRecord {
  /** Internal username: the sub for e-mail-username pools (as Cognito does), else the name given. */
  username: string;
  sub: string;
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  /** scrypt hash for USER_PASSWORD_AUTH and password changes. */
  passwordHash: string;
  /** SRP verifier and salt for USER_SRP_AUTH (hex). */
  srp?: { saltHex: string; verifierHex: string };
  /** When a temporary (admin-set) password stops working. */
  temporaryPasswordExpiresAt?: number;
  groups: string[];
  createdAt: number;
  modifiedAt: number;
  failedSignIns: number;
  lockedUntil?: number;
  signupCode?: CodeRecord;
  resetCode?: CodeRecord;
  emailVerificationCode?: CodeRecord;
}

export interface PoolRecord {
  id: string;
  name: string;
  region: string;
  createdAt: number;
  modifiedAt: number;
  passwordPolicy: PasswordPolicyRecord;
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  schema: SchemaAttributeRecord[];
  mfaConfiguration: string;
  deletionProtection: boolean;
  groups: Record<string, GroupRecord>;
  users: Record<string, UserRecord>;
  /** The managed-login domain (prefix, or custom with a certificate ARN); one per pool. */
  domain?: DomainRecord;
  /** Resource servers by identifier; their scopes are `<identifier>/<scopeName>`. */
  resourceServers?: Record<string, ResourceServerRecord>;
}

export interface DomainRecord {
  domain: string;
  managedLoginVersion: number;
  certificateArn?: string;
  cloudFrontDistribution: string;
  createdAt: number;
}

export interface ResourceServerRecord {
  identifier: string;
  name: string;
  scopes: Array<{ name: string; description: string }>;
}

/** A client's OAuth 2.0 settings (AllowedOAuthFlows and the rest), as CreateUserPoolClient takes them. */
export interface ClientOAuthRecord {
  flows: string[];
  scopes: string[];
  /** AllowedOAuthFlowsUserPoolClient: the OAuth endpoints serve this client only when true. */
  enabled: boolean;
  callbackUrls: string[];
  logoutUrls: string[];
  defaultRedirectUri?: string;
  identityProviders: string[];
}

export interface TokenValidityRecord {
  accessSeconds: number;
  idSeconds: number;
  refreshSeconds: number;
  /** The units as the client was created with, echoed back by DescribeUserPoolClient. */
  units: { AccessToken: string; IdToken: string; RefreshToken: string };
  access: number;
  id: number;
  refresh: number;
}

export interface ClientRecord {
  clientId: string;
  clientSecret?: string;
  clientName: string;
  userPoolId: string;
  explicitAuthFlows: string[];
  preventUserExistenceErrors: 'ENABLED' | 'LEGACY';
  enableTokenRevocation: boolean;
  tokenValidity: TokenValidityRecord;
  readAttributes?: string[];
  writeAttributes?: string[];
  /** Absent = DISABLED. With ENABLED every refresh returns a new refresh token (ADR 0082). */
  refreshTokenRotation?: { feature: 'ENABLED' | 'DISABLED'; retryGracePeriodSeconds: number };
  oauth?: ClientOAuthRecord;
  createdAt: number;
  modifiedAt: number;
}

/** A refresh token replaced by rotation: usable until `until` (the grace period), then a reuse. */
export interface RetiredRefreshToken {
  hash: string;
  until: number;
}

/** One sign-in: the refresh token and every access/ID token issued from it share origin_jti. */
export interface SessionRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  username: string;
  refreshTokenHash: string;
  authTime: number;
  expiresAt: number;
  revokedAt?: number;
  /** The latest refresh tokens rotation replaced, newest first (a few, so reuse is recognised). */
  retired?: RetiredRefreshToken[];
}

export interface MailMessage {
  id: string;
  to: string;
  kind: 'signup' | 'reset' | 'invitation' | 'verification';
  subject: string;
  body: string;
  code: string;
  createdAt: string;
}

export interface BootstrapRecord {
  poolId: string;
  clients: Record<string, string>;
}

export interface State {
  version: 1;
  pools: Record<string, PoolRecord>;
  clients: Record<string, ClientRecord>;
  sessions: Record<string, SessionRecord>;
  mailbox: MailMessage[];
  bootstrap?: BootstrapRecord;
}

export const emptyState = (): State => ({ version: 1, pools: {}, clients: {}, sessions: {}, mailbox: [] });
