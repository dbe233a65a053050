/**
 * Structural checks aws-jwt-verify does not make, run before any crypto: size limits, exactly one
 * encoding per token (canonical unpadded base64url), RS256 only, and no key-carrying headers.
 * A token failing here (TokenMalformedError) never reaches the JWKS or the signature check.
 */
import { TokenMalformedError } from './token-errors.ts';

/** Cognito access tokens are ~1–2 KB; 8 KB leaves room for many groups and refuses megabyte tokens. */
export const MAX_TOKEN_CHARS = 8192;
/** Largest decoded claims object we parse (bytes of JSON). */
export const MAX_PAYLOAD_BYTES = 5120;
const MAX_HEADER_BYTES = 512;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** Headers that point at or embed keys: an attacker-chosen key must never be considered. */
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'crit'];

/** Decodes one base64url segment, refusing padding and non-canonical encodings (e.g. stray low bits). */
export function decodeCanonicalSegment(segment: string, maxBytes: number): Buffer {
  if (!B64URL.test(segment)) throw new TokenMalformedError('segment is not unpadded base64url');
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.length > maxBytes) throw new TokenMalformedError('segment too large');
  if (bytes.toString('base64url') !== segment)
    throw new TokenMalformedError('segment is not canonical base64url');
  return bytes;
}

function parseJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TokenMalformedError(`${what} is not UTF-8 JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenMalformedError(`${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** Throws TokenMalformedError unless the compact JWS is one this API is willing to verify. */
export function assertTokenFormat(token: string): { header: Record<string, unknown> } {
  if (token.length > MAX_TOKEN_CHARS) throw new TokenMalformedError('token too large');
  const parts = token.split('.');
  if (parts.length !== 3) throw new TokenMalformedError('token is not a compact JWS');
  const [headerB64, payloadB64, signatureB64] = parts as [string, string, string];
  const header = parseJsonObject(decodeCanonicalSegment(headerB64, MAX_HEADER_BYTES), 'header');
  parseJsonObject(decodeCanonicalSegment(payloadB64, MAX_PAYLOAD_BYTES), 'payload');
  decodeCanonicalSegment(signatureB64, 1024);
  if (header.alg !== 'RS256') throw new TokenMalformedError('only RS256 is accepted');
  if (typeof header.kid !== 'string' || header.kid.length === 0 || header.kid.length > 256) {
    throw new TokenMalformedError('header has no valid kid');
  }
  for (const name of FORBIDDEN_HEADERS) {
    if (name in header) throw new TokenMalformedError(`header "${name}" is not accepted`);
  }
  return { header };
}
