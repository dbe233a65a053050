/**
 * The small key-value surface the API needs for revocation and rate limits. Two implementations with
 * the same behaviour: in-process memory (default, one instance) and Redis (shared by all instances).
 * Every method may reject when the backing store is unreachable; callers decide fail-open/closed.
 */
export interface KvStore {
  readonly kind: 'memory' | 'redis';
  /** Values of the keys, null for a missing or expired key, in order. */
  getMany(keys: string[]): Promise<(string | null)[]>;
  /** Stores a value that disappears after `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Stores the value only when it is larger than the number already stored (for "not before" epochs,
   * so a late writer never moves a cut-off backwards). Expires after `ttlSeconds`.
   */
  setMax(key: string, value: number, ttlSeconds: number): Promise<void>;
  /** Increments a fixed-window counter; the window starts at the first hit and lasts `windowSeconds`. */
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
  del(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
