import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { opaque } from '../ids.ts';

/** What an authorization code stands for until it is redeemed at /oauth2/token. */
export interface AuthorizationCode {
  poolId: string;
  clientId: string;
  username: string;
  redirectUri: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  authTime: number;
  expiresAt: number;
}

/** Cognito's codes are single-use and live five minutes. */
export const codeLifetimeMs = 5 * 60_000;

/** In memory, like SRP challenges: a restart invalidates codes not yet redeemed (ADR 0081). */
export class AuthorizationCodes {
  private readonly codes = new Map<string, AuthorizationCode>();
  constructor(private readonly clock: Clock) {}

  issue(grant: Omit<AuthorizationCode, 'expiresAt'>): string {
    const now = this.clock();
    for (const [k, v] of this.codes) if (v.expiresAt < now) this.codes.delete(k);
    const code = opaque(32);
    this.codes.set(code, { ...grant, expiresAt: now + codeLifetimeMs });
    return code;
  }

  /** The code's grant, once: a second redemption finds nothing. */
  take(code: string): AuthorizationCode | undefined {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant || grant.expiresAt < this.clock()) return undefined;
    return grant;
  }
}

/** PKCE S256: BASE64URL(SHA256(code_verifier)) must equal the code_challenge (RFC 7636 §4.6). */
export function pkceMatches(challenge: string, verifier: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const given = Buffer.from(challenge);
  return computed.length === given.length && timingSafeEqual(computed, given);
}
