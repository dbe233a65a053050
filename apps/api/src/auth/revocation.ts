import { definition } from '@app/pool-definition';
import type { KvStore } from '../stores/types.ts';
import { TokenRevokedError } from './token-errors.ts';

/** How long a per-user "not before" is kept: longer than any access token lives (Cognito max is 1 day). */
export const USER_CUTOFF_TTL_SECONDS = 24 * 3600 + 300;

/**
 * How long a revoked `origin_jti` is kept: as long as the session's refresh token can mint access
 * tokens (the pool's longest refresh-token lifetime) plus the longest access-token lifetime. A
 * client that revokes here but never revokes its refresh token at Cognito must not get back in
 * once a shorter entry expires (ADR 0049).
 */
export const SESSION_TTL_SECONDS =
  Math.ceil(Math.max(...definition.clients.map((c) => c.tokenValidity.refreshTokenDays)) * 86_400) +
  USER_CUTOFF_TTL_SECONDS;

/**
 * The store could not be asked (`read`) or written (`write`): the caller must fail closed. The HTTP
 * error handler answers 503 (ADR 0032); `message` keeps the store's reason for the log.
 */
export class RevocationUnavailableError extends Error {
  override name = 'RevocationUnavailableError';
  constructor(
    readonly operation: 'read' | 'write',
    reason: string,
  ) {
    super(`revocation store unavailable (${operation}): ${reason}`);
  }
}

async function guarded<T>(operation: 'read' | 'write', fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new RevocationUnavailableError(operation, (err as Error).message);
  }
}

export interface RevocableClaims {
  sub: string;
  jti: string;
  originJti?: string | undefined;
  /** `device_key`: set when the session signed in on a tracked device (ADR 0167). */
  deviceKey?: string | undefined;
  iat: number;
}

/**
 * Every revocation key of a user carries `{<sub>}`: Redis Cluster (and ElastiCache Serverless) hashes
 * only the part in braces, so one request's keys share a slot and its single MGET is allowed there
 * (ADR 0175). A sub is a UUID or a client id (never empty, no braces), so the tag is the whole sub.
 */
export const revocationKeys = {
  jti: (sub: string, jti: string) => `rv:{${sub}}:jti:${jti}`,
  originJti: (sub: string, originJti: string) => `rv:{${sub}}:ojti:${originJti}`,
  cutOff: (sub: string) => `rv:{${sub}}:nbf`,
  device: (sub: string, deviceKey: string) => `rv:{${sub}}:dev:${deviceKey}`,
};

/**
 * Revocation list in the KvStore, keyed on token ids and users — never on the token string, which has
 * several valid encodings. Revoking the `origin_jti` refuses every access token minted from the same
 * sign-in (refreshes included); revoking `jti` refuses one token; a per-user cut-off refuses every token
 * issued at or before a second of the IdP's clock (ADR 0070). Entries expire with the tokens they refuse.
 */
export class Revocation {
  constructor(
    private readonly store: KvStore,
    private readonly now: () => number = Date.now,
  ) {}

  private ttlUntil(exp: number): number {
    return Math.max(1, exp - Math.floor(this.now() / 1000) + 60);
  }

  async revokeToken(token: {
    sub: string;
    originJti?: string | undefined;
    jti: string;
    exp: number;
  }): Promise<void> {
    const ttl = this.ttlUntil(token.exp);
    await guarded('write', async () => {
      const writes = [this.store.set(revocationKeys.jti(token.sub, token.jti), '1', ttl)];
      // origin_jti outlives this access token (refreshes mint new ones): keep it as long as the session lives.
      if (token.originJti)
        writes.push(
          this.store.set(revocationKeys.originJti(token.sub, token.originJti), '1', SESSION_TTL_SECONDS),
        );
      await Promise.all(writes);
    });
  }

  /**
   * Refuses every token of `sub` whose `iat` is at or before `lastRefusedSecond` — a second read from
   * the IdP's clock when it ended the user's sessions (ADR 0070). Larger wins, so a late writer never
   * moves the cut-off backwards.
   */
  async cutOffUser(sub: string, lastRefusedSecond: number): Promise<void> {
    await guarded('write', () =>
      this.store.setMax(revocationKeys.cutOff(sub), Math.floor(lastRefusedSecond), USER_CUTOFF_TTL_SECONDS),
    );
  }

  /**
   * Refuses every token issued on a forgotten device, for as long as its sessions could live: Cognito
   * never gives a forgotten key back (a new sign-in gets a new one), and ForgetDevice does not revoke
   * access tokens already issued there, so the API must (ADR 0167).
   */
  async revokeDevice(sub: string, deviceKey: string): Promise<void> {
    await guarded('write', () =>
      this.store.set(revocationKeys.device(sub, deviceKey), '1', SESSION_TTL_SECONDS),
    );
  }

  /** The user's cut-off second, or null when none is in force. */
  async cutOffOf(sub: string): Promise<number | null> {
    const [value] = await guarded('read', () => this.store.getMany([revocationKeys.cutOff(sub)]));
    return value === null || value === undefined ? null : Number(value);
  }

  /**
   * Resolves when not revoked; rejects with TokenRevokedError when revoked, RevocationUnavailableError
   * when the store cannot answer. One promise from the store's, no async layers: it runs on every
   * authenticated request (ADR 0203).
   */
  assertNotRevoked(claims: RevocableClaims): Promise<void> {
    return this.read(claims).then(
      (values) => {
        if (revokedBy(claims, values)) throw new TokenRevokedError(`token of ${claims.sub} is revoked`);
      },
      (err: unknown) => {
        throw new RevocationUnavailableError('read', (err as Error).message);
      },
    );
  }

  /** True when revoked; throws RevocationUnavailableError when the store cannot answer. */
  async isRevoked(claims: RevocableClaims): Promise<boolean> {
    return revokedBy(claims, await guarded('read', () => this.read(claims)));
  }

  // One MGET (one slot, ADR 0175): the cut-off first, then every id whose mere presence revokes.
  private read(claims: RevocableClaims): Promise<(string | null)[]> {
    const keys = [revocationKeys.cutOff(claims.sub), revocationKeys.jti(claims.sub, claims.jti)];
    if (claims.originJti) keys.push(revocationKeys.originJti(claims.sub, claims.originJti));
    if (claims.deviceKey) keys.push(revocationKeys.device(claims.sub, claims.deviceKey));
    return this.store.getMany(keys);
  }
}

/** `values` are the store's answers for Revocation.read's keys, in its order. */
function revokedBy(claims: RevocableClaims, values: (string | null | undefined)[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) return true;
  const cutoff = values[0];
  return cutoff !== null && cutoff !== undefined && claims.iat <= Number(cutoff);
}
