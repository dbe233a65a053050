import type {
  AccountRecoverySettingType,
  AdminCreateUserConfigType,
  DeviceConfigurationType,
  SignInPolicyType,
  SmsConfigurationType,
  UserPoolAddOnsType,
  VerificationMessageTemplateType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { EmailConfigurationRecord } from '../operations/email-config.ts';
import type { LambdaConfigRecord } from '../triggers/lambda-config.ts';
import { type Dict, dict } from './dict.ts';

/**
 * Everything the IdP keeps, as one JSON document in the data folder (see store.ts for how it is written).
 * Timestamps are epoch milliseconds. Every map is a `Dict` (no prototype), also when read back from
 * disk: see `reviveState`.
 */
export interface PasswordPolicyRecord {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
  /** PasswordHistorySize: stored and returned; not enforced (apps/idp/README.md). */
  passwordHistorySize?: number;
}

/** One schema attribute; `name` is the full name (`email`, `custom:tier`, `dev:custom:id`). */
export interface SchemaAttributeRecord {
  name: string;
  attributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  required: boolean;
  mutable: boolean;
  developerOnly?: boolean;
  stringConstraints?: { MinLength?: string; MaxLength?: string };
  numberConstraints?: { MinValue?: string; MaxValue?: string };
}

/**
 * Pool settings kept in Cognito's wire shape, exactly as CreateUserPool/UpdateUserPool were given
 * them (defaults filled in), so DescribeUserPool returns what a tool wrote (ADR 0125).
 */
export interface PoolSettings {
  VerificationMessageTemplate: VerificationMessageTemplateType;
  EmailVerificationMessage?: string;
  EmailVerificationSubject?: string;
  SmsVerificationMessage?: string;
  SmsAuthenticationMessage?: string;
  AdminCreateUserConfig: AdminCreateUserConfigType;
  /** Absent: Cognito's legacy recovery (a verified e-mail or phone). */
  AccountRecoverySetting?: AccountRecoverySettingType;
  DeviceConfiguration?: DeviceConfigurationType;
  SmsConfiguration?: SmsConfigurationType;
  UserPoolAddOns?: UserPoolAddOnsType;
  SignInPolicy: SignInPolicyType;
  UserPoolTier: 'LITE' | 'ESSENTIALS' | 'PLUS';
}

export interface GroupRecord {
  groupName: string;
  description?: string;
  precedence?: number;
  roleArn?: string;
  createdAt: number;
  modifiedAt: number;
}

export type UserStatus =
  | 'UNCONFIRMED'
  | 'CONFIRMED'
  | 'FORCE_CHANGE_PASSWORD'
  | 'RESET_REQUIRED'
  /** A user made by a federated sign-in (federation/users.ts): no password. */
  | 'EXTERNAL_PROVIDER';

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
  attributes: Dict<string>;
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
  /** The code texted to verify phone_number (GetUserAttributeVerificationCode, a changed number). */
  phoneVerificationCode?: CodeRecord;
  /** A new e-mail waiting for its code, while the pool keeps the old one until then (ADR 0078). */
  pendingEmail?: string;
  /** A new phone number waiting for its code, while the pool keeps the old one until then. */
  pendingPhone?: string;
  /** MFA factors and preference (absent = none); see mfa/settings.ts. */
  mfa?: UserMfaRecord;
  /** Registered passkeys (operations/webauthn.ts). */
  webAuthn?: WebAuthnCredentialRecord[];
  /** Tracked devices by DeviceKey, when the pool has a DeviceConfiguration (devices/devices.ts). */
  devices?: Dict<DeviceRecord>;
  /** Sign-in and account events, newest first, in pools with threat protection (events/auth-events.ts). */
  authEvents?: AuthEventRecord[];
}

/** One AdminListUserAuthEvents record. */
export interface AuthEventRecord {
  id: string;
  /** Per user, increasing: orders events of the same millisecond and keys the paging. */
  seq: number;
  type: 'SignIn' | 'SignUp' | 'ForgotPassword' | 'PasswordChange' | 'ResendCode';
  createdAt: number;
  response: 'Pass' | 'Fail' | 'InProgress';
  challenges: Array<{ name: 'Password' | 'Mfa'; response: 'Success' | 'Failure' }>;
  ipAddress?: string;
  deviceName?: string;
}

/**
 * A device handed out as NewDeviceMetadata; ConfirmDevice gives it its SRP verifier (then it is
 * tracked and listed), UpdateDeviceStatus remembers it (then it signs in with DEVICE_SRP_AUTH).
 */
export interface DeviceRecord {
  deviceKey: string;
  deviceGroupKey: string;
  /** Set by ConfirmDevice: the device secret's SRP salt and verifier (hex). */
  srp?: { saltHex: string; verifierHex: string };
  name?: string;
  remembered: boolean;
  createdAt: number;
  modifiedAt: number;
  lastAuthenticatedAt: number;
  /** The address of the last sign-in on this device (Cognito's `last_ip_used`, ADR 0193). */
  lastIpUsed?: string;
}

/** A passkey: what @simplewebauthn/server needs to verify its assertions, and what ListWebAuthnCredentials shows. */
export interface WebAuthnCredentialRecord {
  credentialId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  friendlyName: string;
  relyingPartyId: string;
  attachment?: string;
  userVerified: boolean;
  createdAt: number;
}

/** A user's MFA: the TOTP secret once verified, the one being set up, and which factors are on. */
export interface UserMfaRecord {
  /** Base32 TOTP secret, set by a successful VerifySoftwareToken. */
  totpSecret?: string;
  /** Secret handed out by AssociateSoftwareToken, waiting for VerifySoftwareToken. */
  pendingTotpSecret?: string;
  /** The last TOTP time step accepted: each code is good once (Cognito's single use). */
  lastTotpStep?: number;
  /** Wrong MFA codes since the last right one; counts toward the lockout (mfa/codes.ts). */
  failedCodes?: number;
  enabled: Array<'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP' | 'SMS_MFA'>;
  preferred?: 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP' | 'SMS_MFA';
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
  /** UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate (absent in older state files). */
  attributesRequireVerificationBeforeUpdate?: string[];
  /** The full schema (standard, then custom attributes); older state files hold only the definition's. */
  schema: SchemaAttributeRecord[];
  /** AliasAttributes: other attributes a user may sign in with (email, phone_number, preferred_username). */
  aliasAttributes?: string[];
  /** UsernameConfiguration.CaseSensitive; absent = not configured (Cognito then returns none). */
  usernameCaseSensitive?: boolean;
  /** Absent in state files from before issue 13: Cognito's defaults apply (pools/describe.ts). */
  settings?: PoolSettings;
  /** UserPoolTags / TagResource. */
  tags?: Dict<string>;
  /** External identity providers by ProviderName (CreateIdentityProvider). */
  identityProviders?: Dict<IdentityProviderRecord>;
  mfaConfiguration: string;
  /** The factors SetUserPoolMfaConfig turned on (absent = none, as a new Cognito pool). */
  mfa?: PoolMfaRecord;
  deletionProtection: boolean;
  groups: Dict<GroupRecord>;
  users: Dict<UserRecord>;
  /** The managed-login domain (prefix, or custom with a certificate ARN); one per pool. */
  domain?: DomainRecord;
  /** Resource servers by identifier; their scopes are `<identifier>/<scopeName>`. */
  resourceServers?: Dict<ResourceServerRecord>;
  /** LambdaConfig as the API shapes it (absent = no triggers); see triggers/lambda-config.ts. */
  lambdaConfig?: LambdaConfigRecord;
  /** EmailConfiguration (absent = COGNITO_DEFAULT): DEVELOPER lets CustomMessage set subject and body. */
  emailConfiguration?: EmailConfigurationRecord;
}

/** SetUserPoolMfaConfig's factor settings. */
export interface PoolMfaRecord {
  softwareToken: boolean;
  /** EmailMfaConfiguration; its Message holds {####}. */
  email?: { message?: string; subject?: string };
  /** SmsMfaConfiguration; the "SMS" lands in the dev mailbox. */
  sms?: { message?: string; snsCallerArn?: string; externalId?: string; snsRegion?: string };
  /** WebAuthnConfiguration (passkeys). */
  webAuthn?: { relyingPartyId?: string; userVerification: string; factorConfiguration?: string };
}

/** An external IdP as CreateIdentityProvider takes it (ProviderDetails kept as given). */
export interface IdentityProviderRecord {
  providerName: string;
  providerType: string;
  providerDetails: Dict<string>;
  attributeMapping: Dict<string>;
  idpIdentifiers: string[];
  createdAt: number;
  modifiedAt: number;
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
  /** The tracked device the session signed in on; refreshing needs its DEVICE_KEY (devices/devices.ts). */
  deviceKey?: string;
  /** OAuth scopes granted through /oauth2 (space-separated); absent for API sign-ins. */
  scope?: string;
  /** The latest refresh tokens rotation replaced, newest first (a few, so reuse is recognised). */
  retired?: RetiredRefreshToken[];
}

export interface MailMessage {
  id: string;
  to: string;
  kind: 'signup' | 'reset' | 'invitation' | 'verification' | 'mfa' | 'sms';
  subject: string;
  body: string;
  /** The HTML a CustomMessage function rendered (body then holds its text). */
  html?: string;
  code: string;
  createdAt: string;
}

export interface BootstrapRecord {
  poolId: string;
  clients: Dict<string>;
}

export interface State {
  version: 1;
  pools: Dict<PoolRecord>;
  clients: Dict<ClientRecord>;
  sessions: Dict<SessionRecord>;
  mailbox: MailMessage[];
  bootstrap?: BootstrapRecord;
}

export const emptyState = (): State => ({
  version: 1,
  pools: dict(),
  clients: dict(),
  sessions: dict(),
  mailbox: [],
});

export class StateShapeError extends Error {
  override name = 'StateShapeError';
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function dictOf<T>(where: string, value: unknown, each: (v: T) => T = (v) => v): Dict<T> {
  if (value === undefined) return dict();
  if (!isObject(value)) throw new StateShapeError(`${where} must be a JSON object`);
  // A map the store's assembler already made prototype-less is revived in place, not copied (ADR 0186).
  const out = Object.getPrototypeOf(value) === null ? (value as Dict<T>) : dict<T>();
  for (const k of Object.keys(value)) out[k] = each(value[k] as T);
  return out;
}

/** A user as parsed: its maps made prototype-less in place (a 100k-user pool is not copied twice). */
function reviveUser(u: UserRecord): UserRecord {
  if (!isObject(u)) return { ...(u as object), attributes: dict() } as UserRecord;
  u.attributes = dictOf('user attributes', u.attributes);
  if (u.devices) u.devices = dictOf<DeviceRecord>('user devices', u.devices);
  return u;
}

/**
 * The state as parsed from state.json, with every map rebuilt without a prototype: JSON.parse makes
 * ordinary objects, where `users["constructor"]` would find Object's constructor. It takes `raw` over:
 * users are revived in place, so the caller must not use `raw` afterwards.
 */
export function reviveState(raw: unknown): State {
  if (!isObject(raw) || raw.version !== 1)
    throw new StateShapeError('the state is not a version 1 IdP state');
  const pools = dictOf<PoolRecord>('pools', raw.pools, (p) => ({
    ...p,
    groups: dictOf('pool groups', p.groups),
    ...(p.resourceServers ? { resourceServers: dictOf('resource servers', p.resourceServers) } : {}),
    ...(p.tags ? { tags: dictOf<string>('pool tags', p.tags) } : {}),
    ...(p.identityProviders
      ? {
          identityProviders: dictOf<IdentityProviderRecord>(
            'identity providers',
            p.identityProviders,
            (i) => ({
              ...i,
              providerDetails: dictOf('provider details', i.providerDetails),
              attributeMapping: dictOf('attribute mapping', i.attributeMapping),
            }),
          ),
        }
      : {}),
    users: dictOf<UserRecord>('pool users', p.users, reviveUser),
  }));
  const bootstrap = isObject(raw.bootstrap)
    ? {
        ...(raw.bootstrap as unknown as BootstrapRecord),
        clients: dictOf<string>('bootstrap clients', raw.bootstrap.clients),
      }
    : undefined;
  return {
    version: 1,
    pools,
    clients: dictOf('clients', raw.clients),
    sessions: dictOf('sessions', raw.sessions),
    mailbox: Array.isArray(raw.mailbox) ? (raw.mailbox as MailMessage[]) : [],
    ...(bootstrap ? { bootstrap } : {}),
  };
}
