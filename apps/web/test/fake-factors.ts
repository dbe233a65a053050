import type { SignInResult } from '../src/auth/cognito-auth.ts';
import { AuthError } from '../src/auth/errors.ts';
import type { FactorService, FactorStatus, OwnMfaFactor, Passkey } from '../src/auth/factors.ts';
import { otpauthUri } from '../src/auth/factors.ts';
import type { MfaFactor, SignInChallenge, SignInStep } from '../src/auth/sign-in-challenge.ts';

/** The code the fake authenticator app and mailbox always show. */
export const FAKE_CODE = '123456';

/** In-memory factors with Cognito's rules that the pages rely on (a code turns TOTP on, etc.). */
export class FakeFactors implements FactorService {
  mfa = new Set<string>();
  preferred: string | null = null;
  keys: Passkey[] = [];
  pendingSecret: string | null = null;
  passkeysOn = true;

  async status(): Promise<FactorStatus> {
    const signIn = ['PASSWORD', ...(this.keys.length ? ['WEB_AUTHN'] : [])];
    return { mfa: [...this.mfa], preferred: this.preferred, signIn };
  }
  async startAuthenticator() {
    this.pendingSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    return { secret: this.pendingSecret, uri: otpauthUri('Test', 'sam@example.com', this.pendingSecret) };
  }
  async verifyAuthenticator(code: string) {
    if (!this.pendingSecret || code !== FAKE_CODE)
      throw new AuthError(
        'EnableSoftwareTokenMFAException',
        'That code is not right. Check your authenticator app and try again.',
      );
    this.mfa.add('SOFTWARE_TOKEN_MFA');
    this.preferred ??= 'SOFTWARE_TOKEN_MFA';
  }
  async setMfa(factor: OwnMfaFactor, { enabled, preferred }: { enabled: boolean; preferred?: boolean }) {
    if (enabled) this.mfa.add(factor);
    else this.mfa.delete(factor);
    if (preferred) this.preferred = factor;
    if (!enabled && this.preferred === factor) this.preferred = null;
  }
  async passkeys() {
    return this.keys;
  }
  async addPasskey() {
    if (!this.passkeysOn)
      throw new AuthError('WebAuthnNotEnabledException', 'Passkeys are not turned on for this app.');
    this.keys.push({ id: `key-${this.keys.length + 1}`, name: 'Passkey', createdAt: new Date() });
  }
  async removePasskey(id: string) {
    this.keys = this.keys.filter((k) => k.id !== id);
  }
}

/** A code step that accepts FAKE_CODE and then calls `done` for the session. */
export function fakeCodeChallenge(
  email: string,
  factor: MfaFactor,
  done: () => SignInResult,
): SignInChallenge {
  const step: SignInStep = { kind: 'code', factor, destination: factor === 'EMAIL_OTP' ? 's***@e***' : null };
  const refuse = () => Promise.reject(new AuthError('WrongStep', 'This step takes a code.'));
  return {
    email,
    step,
    async answerCode(code) {
      if (code !== FAKE_CODE)
        throw new AuthError(
          'CodeMismatchException',
          factor === 'SOFTWARE_TOKEN_MFA'
            ? 'That code is not right. Check your authenticator app and try again.'
            : 'That code is not right. Check the e-mail and try again.',
        );
      return done();
    },
    choose: refuse,
    answerWithPasskey: refuse,
    setUpAuthenticator: refuse,
    verifyAuthenticator: refuse,
  };
}
