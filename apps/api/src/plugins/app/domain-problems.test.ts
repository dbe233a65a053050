import { describe, expect, it } from 'vitest';
import { RevocationUnavailableError } from '../../auth/revocation.ts';
import {
  TokenClientError,
  TokenExpiredError,
  TokenIssuerError,
  TokenMalformedError,
  TokenRevokedError,
  TokenSignatureError,
  TokenUnknownKeyError,
  TokenUseError,
} from '../../auth/token-errors.ts';
import { JwksUnavailableError } from '../../auth/verifier.ts';
import { DbUnavailableError } from '../../db/errors.ts';
import { InvalidCursorError } from '../../services/items/cursor.ts';
import { VersionConflictError } from '../../services/items/store.ts';
import { problemBody, toProblem } from './error-handler.ts';

/** The one error handler's mapping of domain errors to HTTP answers (ADR 0111). */
describe('domain errors → problem+json', () => {
  it.each([
    [new TokenExpiredError('exp has passed'), 'token expired'],
    [new TokenRevokedError('revoked by origin_jti'), 'token revoked'],
    [new TokenMalformedError('segment is not canonical base64url'), 'token invalid'],
    [new TokenSignatureError('JwtInvalidSignatureError: Invalid signature'), 'token invalid'],
    [new TokenUnknownKeyError('KidNotFoundInJwksError: no kid'), 'token invalid'],
    [new TokenIssuerError('Issuer not allowed: https://evil.example'), 'token invalid'],
    [new TokenClientError('client_id is not accepted'), 'token invalid'],
    [new TokenUseError('token_use is not "access"'), 'token invalid'],
  ])('%s → 401 with an RFC 6750 challenge that tells no more than "%s"', (err, said) => {
    const p = toProblem(err);
    expect(p.status).toBe(401);
    expect(p.detail).toBe(said);
    expect(p.headers?.['www-authenticate']).toBe(
      `Bearer realm="api", error="invalid_token", error_description="${said}"`,
    );
    // The reason stays in the log: never in the body.
    expect(JSON.stringify(problemBody(p))).not.toContain(err.message);
  });

  it.each([
    [
      new JwksUnavailableError('JWKS not available: ECONNREFUSED'),
      'Token verification is temporarily unavailable.',
      '5',
    ],
    [
      new RevocationUnavailableError('read', 'ECONNREFUSED'),
      'Token revocation cannot be checked right now.',
      '2',
    ],
    [
      new RevocationUnavailableError('write', 'ECONNREFUSED'),
      'Token revocation is unavailable right now; retry shortly.',
      '2',
    ],
    [
      new DbUnavailableError(new Error('connect ECONNREFUSED 10.0.0.5:5432')),
      'The database is unavailable; retry shortly.',
      '5',
    ],
  ])('%s → 503 with Retry-After, the cause kept for the log only', (err, detail, retryAfter) => {
    const p = toProblem(err);
    expect(p.status).toBe(503);
    expect(p.detail).toBe(detail);
    expect(p.headers?.['retry-after']).toBe(retryAfter);
    expect(p.cause).toBe(err);
    expect(JSON.stringify(problemBody(p))).not.toMatch(/ECONNREFUSED|10\.0\.0\.5/);
  });

  it('a bad cursor → 400, a stale version → 412 naming the current one', () => {
    const bad = toProblem(new InvalidCursorError('Send either offset or cursor, not both.'));
    expect([bad.status, bad.detail]).toEqual([400, 'Send either offset or cursor, not both.']);
    const stale = toProblem(new VersionConflictError(7));
    expect(stale.status).toBe(412);
    expect(stale.detail).toContain('now version 7');
  });

  it('anything else is not a domain error: a bare 500', () => {
    const p = toProblem(new Error('secret internals'));
    expect(p.status).toBe(500);
    expect(JSON.stringify(problemBody(p))).not.toContain('secret internals');
  });
});
