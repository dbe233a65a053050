import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { LRUCache } from 'lru-cache';
import { toAuthenticatedUser } from './claims.ts';
import { LoopbackAwareFetcher } from './fetcher.ts';
import { JwksUnavailableError, ThrottledJwksCache } from './jwks-cache.ts';
import { fromLibraryError } from './token-errors.ts';
import { assertTokenFormat } from './token-format.ts';
import type { AuthenticatedUser } from './user.ts';

export { JwksUnavailableError } from './jwks-cache.ts';

export interface TokenVerifierOptions {
  issuer: string;
  jwksUri: string;
  clientIds: string[];
  /** Client-credentials clients whose tokens are machine principals (`kind: 'machine'`). */
  machineClientIds?: string[];
  /** Allow http JWKS for loopback hosts (never in production; config.ts enforces it). */
  allowHttpLoopback: boolean;
  /** Verified-token cache size; 0 disables it (the bench measures both). */
  cacheMax?: number;
  /** Least time between two JWKS fetches, failed or not. */
  minRefetchIntervalMs?: number;
  /** Age after which cached keys are refreshed in the background (withdrawn keys stop working). */
  jwksMaxAgeMs?: number;
  now?: () => number;
}

/**
 * Verifies Cognito access tokens: our structural checks, then aws-jwt-verify (RS256 signature against
 * the JWKS by kid, issuer, exp/nbf), then our claims policy. Successful results are cached by the token
 * string until the token's exp (the cached user holds that string already, as `accessToken`; hashing it
 * per request cost more than the lookup, ADR 0203); revocation is checked by the caller on every
 * request, cached or not.
 */
export class TokenVerifier {
  readonly jwksCache: ThrottledJwksCache;
  readonly stats = { cacheHits: 0, cacheMisses: 0, rejected: 0 };
  private readonly jwt;
  private readonly cache: LRUCache<string, AuthenticatedUser> | undefined;
  private readonly clientIds: ReadonlySet<string>;
  private readonly machineClientIds: ReadonlySet<string>;
  private readonly now: () => number;

  constructor(private readonly opts: TokenVerifierOptions) {
    this.now = opts.now ?? Date.now;
    this.clientIds = new Set(opts.clientIds);
    this.machineClientIds = new Set(opts.machineClientIds ?? []);
    this.jwksCache = new ThrottledJwksCache(
      new LoopbackAwareFetcher({ allowHttpLoopback: opts.allowHttpLoopback }),
      opts.minRefetchIntervalMs ?? 10_000,
      this.now,
      opts.jwksMaxAgeMs ?? 15 * 60_000,
    );
    this.jwt = JwtVerifier.create(
      { issuer: opts.issuer, jwksUri: opts.jwksUri, audience: null, graceSeconds: 0 },
      { jwksCache: this.jwksCache },
    );
    const max = opts.cacheMax ?? 10_000;
    this.cache = max > 0 ? new LRUCache<string, AuthenticatedUser>({ max, ttlAutopurge: false }) : undefined;
  }

  get issuer(): string {
    return this.opts.issuer;
  }

  /**
   * Resolves to the caller, or rejects with a TokenRejectedError subclass naming the failed check
   * (token-errors.ts) or with JwksUnavailableError when no key can be had.
   */
  async verify(token: string): Promise<AuthenticatedUser> {
    return this.cached(token) ?? this.verifyUncached(token);
  }

  /**
   * The cached caller of a token verified before and not expired yet, without a promise (the guard's
   * hot path, ADR 0203); undefined on a miss (counted), and then `verify` does the work.
   */
  cached(token: string): AuthenticatedUser | undefined {
    if (!this.cache) return undefined;
    const cached = this.cache.get(token);
    if (cached && cached.exp * 1000 > this.now()) {
      this.stats.cacheHits++;
      return cached;
    }
    this.stats.cacheMisses++;
    return undefined;
  }

  /** Verifies without looking in the cache (the caller just did: `cached`), and caches a success. */
  async verifyUncached(token: string): Promise<AuthenticatedUser> {
    const nowMs = this.now();
    let user: AuthenticatedUser;
    try {
      assertTokenFormat(token);
      const payload: JwtPayload = await this.jwt.verify(token);
      user = toAuthenticatedUser(payload, token, {
        clientIds: this.clientIds,
        machineClientIds: this.machineClientIds,
        nowSeconds: Math.floor(nowMs / 1000),
      });
    } catch (err) {
      this.stats.rejected++;
      if (err instanceof JwksUnavailableError) throw err;
      // Every other failure is the token's fault: our own classes, or the library's mapped to them.
      throw fromLibraryError(err);
    }
    // Shared by every request that presents this token: make sure no route can alter it.
    Object.freeze(user.groups);
    Object.freeze(user.scopes);
    Object.freeze(user);
    if (this.cache) this.cache.set(token, user, { ttl: Math.max(1, user.exp * 1000 - nowMs) });
    return user;
  }

  /** Fetches the JWKS now (throttled) so the first request does not pay for it. Never throws. */
  async hydrate(): Promise<boolean> {
    try {
      await this.jwksCache.getJwks(this.opts.jwksUri);
      return true;
    } catch {
      return false;
    }
  }

  /** For /ready: keys are cached, or can be fetched now. */
  async jwksReady(): Promise<boolean> {
    return this.jwksCache.hasJwks(this.opts.jwksUri) || this.hydrate();
  }

  clearCache(): void {
    this.cache?.clear();
  }
}
