import type { TokenResponse } from '@app/api-contract';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { RevocableClaims } from '../../auth/revocation.ts';
import { badGateway } from './errors.ts';

export interface IdTokenIdentity {
  sub: string;
  username: string;
  /** The verified address only; null when the token's address is unverified or absent. */
  email: string | null;
  name: string | null;
}

/**
 * Reads the ID token the IdP just returned to us over TLS (OIDC Core 3.1.3.7: a token received
 * directly from the token endpoint need not be re-verified). Never use this on a token a client sent.
 */
export function identityFromIdToken(idToken: string): IdTokenIdentity | null {
  try {
    const payload = JSON.parse(
      Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    if (typeof payload.sub !== 'string') return null;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    // An address is the account's only once verified: an unverified change is not (ADR 0072).
    const verified = payload.email_verified === true || payload.email_verified === 'true';
    return {
      sub: payload.sub,
      username: str(payload['cognito:username']) ?? payload.sub,
      email: verified ? str(payload.email) : null,
      name: str(payload.name),
    };
  } catch {
    return null;
  }
}

/**
 * The revocation-relevant claims of an access token the IdP just returned to us (same reasoning as
 * `identityFromIdToken`; never for a token a client sent). Null when they are not all there.
 */
export function accessClaimsOf(accessToken: string): RevocableClaims | null {
  try {
    const p = JSON.parse(
      Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    if (typeof p.sub !== 'string' || typeof p.jti !== 'string' || typeof p.iat !== 'number') return null;
    return {
      sub: p.sub,
      jti: p.jti,
      iat: p.iat,
      ...(typeof p.origin_jti === 'string' ? { originJti: p.origin_jti } : {}),
    };
  } catch {
    return null;
  }
}

export function toTokenResponse(
  result: AuthenticationResultType | undefined,
  refreshToken?: string,
): TokenResponse {
  if (!result?.AccessToken || !result.IdToken) {
    throw badGateway('The identity provider returned no tokens.');
  }
  const refresh = result.RefreshToken ?? refreshToken;
  return {
    access_token: result.AccessToken,
    id_token: result.IdToken,
    ...(refresh ? { refresh_token: refresh } : {}),
    token_type: 'Bearer',
    expires_in: result.ExpiresIn ?? 3600,
  };
}
