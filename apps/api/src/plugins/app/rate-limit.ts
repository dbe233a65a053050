import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { tooManyRequests } from '../../errors.ts';
import { MemoryStore } from '../../stores/memory.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Per-instance counters used while the shared store is unreachable (rate limits fail open to it). */
    rateLimitFallback: MemoryStore;
  }
}

export interface RateLimitOptions {
  /** Distinguishes limits sharing a key (e.g. "login-ip" vs "login-account"). */
  name: string;
  max: number;
  windowSeconds: number;
  /** What is counted: an IP, a normalised e-mail... `undefined` skips the limit for this request. */
  key: (request: FastifyRequest) => string | undefined;
}

/**
 * A fixed-window limit as a preHandler: `{ preHandler: rateLimit({...}) }`. Over the limit → 429
 * problem+json with Retry-After. Keys are hashed so no e-mail or IP is stored in clear in Redis.
 * When the shared store fails, counting continues in memory per instance (fail open, ADR 0032).
 */
export function rateLimit(opts: RateLimitOptions): preHandlerAsyncHookHandler {
  if (opts.max < 1 || opts.windowSeconds < 1)
    throw new Error('rateLimit: max and windowSeconds must be >= 1');
  let lastWarnAt = 0;
  return async function rateLimitHook(request) {
    const subject = opts.key(request);
    if (subject === undefined) return;
    const key = `rl:${opts.name}:${createHash('sha256').update(subject).digest('base64url').slice(0, 32)}`;
    const app = request.server;
    let result: { count: number; resetSeconds: number };
    try {
      result = await app.store.hit(key, opts.windowSeconds);
    } catch (err) {
      // One warning per 10 s per limit, not one per request, while the store is down.
      if (Date.now() - lastWarnAt > 10_000) {
        lastWarnAt = Date.now();
        request.log.warn(
          { err: (err as Error).message, limit: opts.name },
          'rate-limit store unavailable; counting in memory',
        );
      }
      result = app.rateLimitFallback.hitSync(key, opts.windowSeconds);
    }
    if (result.count > opts.max) {
      request.log.info({ limit: opts.name }, 'rate limit exceeded');
      throw tooManyRequests(result.resetSeconds);
    }
  };
}

export const rateLimitPlugin = fp(
  async (app: FastifyInstance) => {
    const fallback = new MemoryStore();
    app.decorate('rateLimitFallback', fallback);
    app.addHook('onClose', async () => fallback.close());
  },
  { name: 'rate-limit' },
);
