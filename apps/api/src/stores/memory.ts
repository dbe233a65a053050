import type { KvStore } from './types.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

/** In-process KvStore: correct for one instance, lost on restart. Expired keys are swept lazily. */
export class MemoryStore implements KvStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepIntervalMs = 30_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  private read(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  async getMany(keys: string[]): Promise<(string | null)[]> {
    return keys.map((k) => this.read(k)?.value ?? null);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async setMax(key: string, value: number, ttlSeconds: number): Promise<void> {
    const current = this.read(key);
    if (current && Number(current.value) >= value) return;
    this.entries.set(key, { value: String(value), expiresAt: this.now() + ttlSeconds * 1000 });
  }

  /** Synchronous so the in-memory fallback of the rate limiter can use it without awaiting. */
  hitSync(key: string, windowSeconds: number): { count: number; resetSeconds: number } {
    const now = this.now();
    const entry = this.read(key);
    if (!entry) {
      this.entries.set(key, { value: '1', expiresAt: now + windowSeconds * 1000 });
      return { count: 1, resetSeconds: windowSeconds };
    }
    entry.value = String(Number(entry.value) + 1);
    return {
      count: Number(entry.value),
      resetSeconds: Math.max(1, Math.ceil((entry.expiresAt - now) / 1000)),
    };
  }

  async hit(key: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }> {
    return this.hitSync(key, windowSeconds);
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
  }
}
