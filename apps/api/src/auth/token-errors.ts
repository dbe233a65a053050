import {
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
} from 'aws-jwt-verify/error';

/**
 * Why an access token was refused, one class per reason (as aws-jwt-verify has), so callers — the
 * HTTP error handler, a CLI, tests — branch on the class, never on a message. `message` says what
 * exactly failed, for logs only; the client sees `publicReason`, which tells no more than
 * expired / revoked / invalid (ADR 0111).
 */
export abstract class TokenRejectedError extends Error {
  abstract readonly publicReason: 'token expired' | 'token revoked' | 'token invalid';
}

abstract class InvalidTokenError extends TokenRejectedError {
  readonly publicReason = 'token invalid' as const;
}

/** Not a compact RS256 JWS we are willing to look at: size, encoding, JSON, header (ADR 0035). */
export class TokenMalformedError extends InvalidTokenError {
  override name = 'TokenMalformedError';
}
/** The signature does not verify with the key its `kid` names. */
export class TokenSignatureError extends InvalidTokenError {
  override name = 'TokenSignatureError';
}
/** No key with this `kid` in the issuer's JWKS, even after a (throttled) refetch. */
export class TokenUnknownKeyError extends InvalidTokenError {
  override name = 'TokenUnknownKeyError';
}
/** `iss` is not the configured issuer. */
export class TokenIssuerError extends InvalidTokenError {
  override name = 'TokenIssuerError';
}
/** `client_id` is not one of the accepted app clients (Cognito access tokens carry no `aud`). */
export class TokenClientError extends InvalidTokenError {
  override name = 'TokenClientError';
}
/** `token_use` is not "access" (an ID token sent as a bearer token, say). */
export class TokenUseError extends InvalidTokenError {
  override name = 'TokenUseError';
}
/** `nbf`, or `iat` beyond the allowed skew, lies in the future. */
export class TokenNotYetValidError extends InvalidTokenError {
  override name = 'TokenNotYetValidError';
}
/** A claim the API relies on is missing or malformed (exp, iat, sub, jti, groups, scope, origin_jti). */
export class TokenClaimsError extends InvalidTokenError {
  override name = 'TokenClaimsError';
}

/** Any other failure of the library's checks (a garbled signature crypto cannot parse, an unusable JWK). */
export class TokenVerificationError extends InvalidTokenError {
  override name = 'TokenVerificationError';
}

/** `exp` has passed. */
export class TokenExpiredError extends TokenRejectedError {
  override name = 'TokenExpiredError';
  readonly publicReason = 'token expired' as const;
}

/** Signed out: the token, its sign-in (origin_jti) or every token of its user until a second (ADR 0070). */
export class TokenRevokedError extends TokenRejectedError {
  override name = 'TokenRevokedError';
  readonly publicReason = 'token revoked' as const;
}

/**
 * aws-jwt-verify's (and crypto's) errors in our classes. Anything unknown — a plain Error from crypto
 * on a garbled signature, say — is the token's fault too: TokenVerificationError, never a 500.
 */
export function fromLibraryError(err: unknown): TokenRejectedError {
  if (err instanceof TokenRejectedError) return err;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : 'unknown verification failure';
  if (err instanceof JwtExpiredError) return new TokenExpiredError(message);
  if (err instanceof JwtNotBeforeError) return new TokenNotYetValidError(message);
  if (err instanceof JwtInvalidIssuerError) return new TokenIssuerError(message);
  if (err instanceof JwtInvalidSignatureError) return new TokenSignatureError(message);
  if (err instanceof KidNotFoundInJwksError) return new TokenUnknownKeyError(message);
  if (
    err instanceof JwtParseError ||
    err instanceof JwtWithoutValidKidError ||
    err instanceof JwtInvalidSignatureAlgorithmError ||
    err instanceof JwkInvalidUseError ||
    err instanceof JwkInvalidKtyError
  ) {
    return new TokenMalformedError(message);
  }
  return new TokenVerificationError(message);
}
