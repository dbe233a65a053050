import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Revocation } from '../../src/auth/revocation.ts';
import {
  TokenClaimsError,
  TokenClientError,
  TokenExpiredError,
  TokenIssuerError,
  TokenMalformedError,
  TokenNotYetValidError,
  TokenRejectedError,
  TokenRevokedError,
  TokenSignatureError,
  TokenUnknownKeyError,
  TokenUseError,
} from '../../src/auth/token-errors.ts';
import { TokenVerifier } from '../../src/auth/verifier.ts';
import { MemoryStore } from '../../src/stores/memory.ts';
import { signWithKey, startJwksServer, type TestKeyServer } from '../support/index.ts';

/**
 * Each way an access token fails has its own class (as aws-jwt-verify has), thrown by the real
 * verifier against a JWKS over loopback HTTP and by the revocation list — no HTTP involved, so a CLI
 * or a script gets the same classes. The HTTP answers are in domain-problems.test.ts and tokens.test.ts.
 */
describe('token failures are typed', () => {
  let keys: TestKeyServer;
  let verifier: TokenVerifier;
  const now = () => Math.floor(Date.now() / 1000);
  const refusal = (token: string) =>
    verifier.verify(token).then(
      () => undefined,
      (e: unknown) => e,
    );

  beforeAll(async () => {
    keys = await startJwksServer();
    verifier = new TokenVerifier({
      issuer: keys.issuer,
      jwksUri: keys.jwksUri,
      clientIds: ['testclient1'],
      allowHttpLoopback: true,
      cacheMax: 0,
      minRefetchIntervalMs: 0,
    });
    await expect(verifier.verify(keys.accessToken())).resolves.toMatchObject({ clientId: 'testclient1' });
  });
  afterAll(async () => keys?.stop());

  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  it.each([
    ['expired', () => keys.accessToken({ iat: now() - 7200, exp: now() - 5 }), TokenExpiredError],
    ['not yet valid (nbf)', () => keys.accessToken({ nbf: now() + 600 }), TokenNotYetValidError],
    ['issued in the future (iat)', () => keys.accessToken({ iat: now() + 600 }), TokenNotYetValidError],
    [
      'from another issuer',
      () => keys.accessToken({ iss: 'https://elsewhere.example/pool' }),
      TokenIssuerError,
    ],
    ['for another client', () => keys.accessToken({ client_id: 'someone-else' }), TokenClientError],
    ['an ID token', () => keys.accessToken({ token_use: 'id' }), TokenUseError],
    ['without a jti', () => keys.accessToken({ jti: undefined }), TokenClaimsError],
    ['with malformed groups', () => keys.accessToken({ 'cognito:groups': 'admin' }), TokenClaimsError],
    [
      'signed by another key under our kid',
      () => signWithKey(stranger, keys.accessClaims(), { kid: keys.kid, alg: 'RS256' }),
      TokenSignatureError,
    ],
    [
      'naming a kid the JWKS lacks',
      () => signWithKey(stranger, keys.accessClaims(), { kid: 'no-such-kid', alg: 'RS256' }),
      TokenUnknownKeyError,
    ],
    ['not a JWT', () => 'not-a-jwt', TokenMalformedError],
    [
      'with alg HS256',
      () => `${keys.accessToken().split('.').slice(0, 2).join('.')}.${'A'.repeat(43)}`,
      TokenSignatureError,
    ],
  ])('%s → %s', async (_what, token, cls) => {
    const err = await refusal(token());
    expect(err).toBeInstanceOf(cls);
    expect(err).toBeInstanceOf(TokenRejectedError);
    expect((err as Error).name).toBe(cls.name);
  });

  it('alg HS256 in the header is malformed before any crypto', async () => {
    const [, payload, signature] = keys.accessToken().split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: keys.kid })).toString('base64url');
    expect(await refusal(`${header}.${payload}.${signature}`)).toBeInstanceOf(TokenMalformedError);
  });

  it('a revoked token → TokenRevokedError, from the revocation list itself', async () => {
    const user = await verifier.verify(keys.accessToken());
    const revocation = new Revocation(new MemoryStore());
    await expect(revocation.assertNotRevoked(user)).resolves.toBeUndefined();
    await revocation.revokeToken(user);
    const err = await revocation.assertNotRevoked(user).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenRevokedError);
    expect((err as TokenRevokedError).publicReason).toBe('token revoked');
  });

  it('tells the client only expired / revoked / invalid', async () => {
    expect(((await refusal(keys.accessToken({ exp: now() - 5 }))) as TokenRejectedError).publicReason).toBe(
      'token expired',
    );
    expect(((await refusal(keys.accessToken({ token_use: 'id' }))) as TokenRejectedError).publicReason).toBe(
      'token invalid',
    );
  });
});
