import { JwtWithoutValidKidError, KidNotFoundInJwksError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { assertIsJwks, findJwkInJwks, type Jwks, type JwksCache, type JwkWithKid } from 'aws-jwt-verify/jwk';
import type { DecomposedJwt } from 'aws-jwt-verify/jwt';

/** No JWKS was ever obtained and the JWKS endpoint cannot be reached now: tokens cannot be checked. */
export class JwksUnavailableError extends Error {
  override name = 'JwksUnavailableError';
}

/**
 * JWKS cache that protects the IdP: at most one fetch per `minRefetchIntervalMs` per URI, whether the
 * previous attempt failed (network error, 5xx, bad JSON) or succeeded without the wanted kid. The
 * library's own cache only throttles the latter. Keys once fetched are kept when later fetches fail, so
 * an IdP outage does not stop verification of tokens signed with known keys.
 */
export class ThrottledJwksCache implements JwksCache {
  private readonly jwks = new Map<string, Jwks>();
  private readonly lastAttemptAt = new Map<string, number>();
  private readonly fetchedAt = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<Jwks>>();
  /** Fetch attempts made, for metrics and tests. */
  fetchAttempts = 0;
  fetchFailures = 0;

  constructor(
    private readonly fetcher: Fetcher,
    private readonly minRefetchIntervalMs = 10_000,
    private readonly now: () => number = Date.now,
    /** Cached keys older than this are refreshed in the background, so a key the IdP withdrew stops working. */
    private readonly maxAgeMs = 15 * 60_000,
  ) {}

  addJwks(jwksUri: string, jwks: Jwks): void {
    this.jwks.set(jwksUri, jwks);
  }

  hasJwks(jwksUri: string): boolean {
    return this.jwks.has(jwksUri);
  }

  /** Fetches now unless throttled; a throttled call returns the cached set or fails. */
  async getJwks(jwksUri: string): Promise<Jwks> {
    const running = this.inflight.get(jwksUri);
    if (running) return running;
    const last = this.lastAttemptAt.get(jwksUri);
    if (last !== undefined && this.now() - last < this.minRefetchIntervalMs) {
      const cached = this.jwks.get(jwksUri);
      if (cached) return cached;
      throw new JwksUnavailableError('JWKS not available (refetch throttled after a failure)');
    }
    this.lastAttemptAt.set(jwksUri, this.now());
    this.fetchAttempts++;
    // Everyone waiting on this fetch gets the same outcome: fresh keys, the cached ones, or JwksUnavailable.
    const attempt = (async () => {
      try {
        const body = await this.fetcher.fetch(jwksUri);
        const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as Jwks;
        assertIsJwks(parsed);
        this.jwks.set(jwksUri, parsed);
        this.fetchedAt.set(jwksUri, this.now());
        return parsed;
      } catch (err) {
        this.fetchFailures++;
        const cached = this.jwks.get(jwksUri);
        if (cached) return cached;
        throw new JwksUnavailableError(`JWKS not available: ${(err as Error).message}`);
      } finally {
        this.inflight.delete(jwksUri);
      }
    })();
    this.inflight.set(jwksUri, attempt);
    return attempt;
  }

  getCachedJwk(jwksUri: string, decomposedJwt: DecomposedJwt): JwkWithKid {
    const kid = decomposedJwt.header.kid;
    if (typeof kid !== 'string')
      throw new JwtWithoutValidKidError('JWT header does not have valid kid claim');
    const jwk = this.jwks.get(jwksUri) && findJwkInJwks(this.jwks.get(jwksUri)!, kid);
    if (!jwk) throw new KidNotFoundInJwksError('JWK for kid not found in the cached JWKS');
    return jwk;
  }

  async getJwk(jwksUri: string, decomposedJwt: DecomposedJwt): Promise<JwkWithKid> {
    const kid = decomposedJwt.header.kid;
    if (typeof kid !== 'string')
      throw new JwtWithoutValidKidError('JWT header does not have valid kid claim');
    const cached = this.jwks.get(jwksUri);
    const hit = cached && findJwkInJwks(cached, kid);
    if (hit) {
      // Stale keys still verify this request; a (throttled) refresh replaces them for later ones.
      if (this.now() - (this.fetchedAt.get(jwksUri) ?? 0) > this.maxAgeMs) {
        this.getJwks(jwksUri).catch(() => {});
      }
      return hit;
    }
    // Unknown kid (key rotation, or a forged kid): one throttled refetch.
    const jwk = findJwkInJwks(await this.getJwks(jwksUri), kid);
    if (!jwk) throw new KidNotFoundInJwksError('JWK for kid not found in the JWKS');
    return jwk;
  }
}
