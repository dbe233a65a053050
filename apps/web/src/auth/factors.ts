/**
 * The signed-in user's sign-in factors, straight to Cognito with their access token (as Amplify
 * does): the authenticator app (TOTP), e-mail codes as MFA, the preferred factor, and passkeys.
 */
import type { CognitoCall } from './cognito-call.ts';
import { AuthError } from './errors.ts';

/** The second factors a user can turn on in this app (SMS is not offered: ADR 0116). */
export type OwnMfaFactor = 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';

export interface FactorStatus {
  /** Second factors that are on (Cognito's UserMFASettingList). */
  mfa: string[];
  /** The factor asked first at sign-in, when the user chose one. */
  preferred: string | null;
  /** The ways this account can start a sign-in (ConfiguredUserAuthFactors: PASSWORD, EMAIL_OTP, WEB_AUTHN…). */
  signIn: string[];
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: Date | null;
}

export interface FactorService {
  status(): Promise<FactorStatus>;
  /** A new authenticator secret (not on until verified) and its otpauth:// URI for the QR code. */
  startAuthenticator(): Promise<{ secret: string; uri: string }>;
  /** The first code from the app: turns TOTP on (and prefers it when no factor is preferred yet). */
  verifyAuthenticator(code: string): Promise<void>;
  /** Turns a second factor on or off, and optionally makes it the preferred one. */
  setMfa(factor: OwnMfaFactor, settings: { enabled: boolean; preferred?: boolean }): Promise<void>;
  passkeys(): Promise<Passkey[]>;
  /** StartWebAuthnRegistration → navigator.credentials.create → CompleteWebAuthnRegistration. */
  addPasskey(): Promise<void>;
  removePasskey(id: string): Promise<void>;
}

/** Authenticator apps read this from the QR code: issuer and account above the code. */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  // Percent-encoding, not URLSearchParams: apps read "+" literally (the key-URI format says %20).
  const query = Object.entries({ secret, issuer, algorithm: 'SHA1', digits: '6', period: '30' })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** The secret in groups of four, easier to type into an app by hand. */
export function groupedSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

const settingKey: Record<OwnMfaFactor, string> = {
  SOFTWARE_TOKEN_MFA: 'SoftwareTokenMfaSettings',
  EMAIL_OTP: 'EmailMfaSettings',
};

/** Cognito's refusals on this page, in the page's words. */
function plain(err: unknown): unknown {
  if (!(err instanceof AuthError)) return err;
  if (err.code === 'EnableSoftwareTokenMFAException' || err.code === 'CodeMismatchException')
    return new AuthError(err.code, 'That code is not right. Check your authenticator app and try again.');
  if (err.code === 'WebAuthnNotEnabledException' || err.code === 'WebAuthnConfigurationMissingException')
    return new AuthError(err.code, 'Passkeys are not turned on for this app.');
  if (
    err.code === 'WebAuthnOriginNotAllowedException' ||
    err.code === 'WebAuthnRelyingPartyMismatchException'
  )
    return new AuthError(err.code, 'Passkeys cannot be registered on this address of the app.');
  if (err.code === 'WebAuthnCredentialNotSupportedException')
    return new AuthError(err.code, 'This passkey is not supported. Try another device or browser.');
  if (err.code === 'InvalidParameterException' && /email/i.test(err.message))
    return new AuthError(err.code, 'Codes by e-mail are not offered by this app.');
  if (err.code === 'InvalidParameterException')
    return new AuthError(err.code, 'That setting is not offered by this app.');
  return err;
}

export class CognitoFactors implements FactorService {
  constructor(
    private readonly call: CognitoCall,
    private readonly accessToken: () => Promise<string>,
    private readonly account: () => Promise<string>,
    private readonly issuer: string,
  ) {}

  private async withToken<T>(op: string, params: Record<string, unknown> = {}): Promise<T> {
    try {
      return await this.call<T>(op, { AccessToken: await this.accessToken(), ...params });
    } catch (err) {
      throw plain(err);
    }
  }

  async status(): Promise<FactorStatus> {
    const r = await this.withToken<{
      UserMFASettingList?: string[];
      PreferredMfaSetting?: string;
      ConfiguredUserAuthFactors?: string[];
    }>('GetUserAuthFactors');
    return {
      mfa: r.UserMFASettingList ?? [],
      preferred: r.PreferredMfaSetting ?? null,
      signIn: r.ConfiguredUserAuthFactors ?? [],
    };
  }

  async startAuthenticator() {
    const { SecretCode } = await this.withToken<{ SecretCode: string }>('AssociateSoftwareToken');
    return { secret: SecretCode, uri: otpauthUri(this.issuer, await this.account(), SecretCode) };
  }

  async verifyAuthenticator(code: string) {
    await this.withToken('VerifySoftwareToken', {
      UserCode: code.trim(),
      FriendlyDeviceName: 'Authenticator app',
    });
    const { preferred } = await this.status();
    if (!preferred) await this.setMfa('SOFTWARE_TOKEN_MFA', { enabled: true, preferred: true });
  }

  async setMfa(factor: OwnMfaFactor, { enabled, preferred }: { enabled: boolean; preferred?: boolean }) {
    await this.withToken('SetUserMFAPreference', {
      [settingKey[factor]]: {
        Enabled: enabled,
        ...(preferred !== undefined ? { PreferredMfa: preferred } : {}),
      },
    });
  }

  async passkeys(): Promise<Passkey[]> {
    const r = await this.withToken<{
      Credentials?: { CredentialId: string; FriendlyCredentialName?: string; CreatedAt?: number | string }[];
    }>('ListWebAuthnCredentials');
    return (r.Credentials ?? []).map((c) => ({
      id: c.CredentialId,
      name: c.FriendlyCredentialName || 'Passkey',
      // The JSON protocol sends dates as epoch seconds.
      createdAt: c.CreatedAt === undefined ? null : new Date(Number(c.CreatedAt) * 1000),
    }));
  }

  async addPasskey() {
    const { CredentialCreationOptions } = await this.withToken<{ CredentialCreationOptions: unknown }>(
      'StartWebAuthnRegistration',
    );
    const { createPasskey } = await import('./webauthn.ts');
    const credential = await createPasskey(CredentialCreationOptions);
    await this.withToken('CompleteWebAuthnRegistration', { Credential: credential });
  }

  async removePasskey(id: string) {
    await this.withToken('DeleteWebAuthnCredential', { CredentialId: id });
  }
}
