import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serviceUnavailable } from '../../errors.ts';

export interface PressureOptions {
  /** Shed load when the event loop stalled longer than this. */
  maxEventLoopDelayMs?: number;
  /** Keep shedding until this long has passed without such a stall. */
  sampleIntervalMs?: number;
}

/**
 * Load shedding on event-loop delay: when the loop stalled past the limit, answer 503 problem+json
 * with Retry-After at once instead of queueing more work, until a whole sample window passes without
 * such a stall. /health and /metrics stay served so probes see the truth. Not @fastify/under-pressure:
 * it compares the window's mean delay, which reads a 1.5 s stall as 35–150 ms and never sheds (ADR 0112).
 * Nor Node's monitorEventLoopDelay: on Node 20 its histogram was seen to drop the stall's sample
 * altogether (max 0, then ~12 ms, after a 600 ms stall). A 50 ms timer's own lateness is the measure:
 * a stall of D ms makes it D − 50 ms late at least, whichever phase the stall starts in.
 */
export const pressurePlugin = fp(
  async (app: FastifyInstance, opts: PressureOptions) => {
    const limitMs = opts.maxEventLoopDelayMs ?? 1000;
    const windowMs = opts.sampleIntervalMs ?? 500;
    const tickMs = Math.min(50, windowMs);
    let overloaded = false;
    let timer: NodeJS.Timeout | undefined;
    // Start measuring once ready: start-up work (PGlite's WASM, migrations) must not count.
    app.addHook('onReady', async () => {
      let last = performance.now();
      let calmSince = last;
      timer = setInterval(() => {
        const now = performance.now();
        const lateMs = now - last - tickMs;
        last = now;
        if (lateMs > limitMs) {
          overloaded = true;
          calmSince = now;
        } else if (overloaded && now - calmSince >= windowMs) {
          overloaded = false;
        }
      }, tickMs);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
    });
    // Callback style: no promise per request for a flag test.
    app.addHook('onRequest', (request, _reply, done) => {
      if (overloaded && request.url !== '/health' && request.url !== '/metrics') {
        return done(serviceUnavailable('The server is overloaded; retry shortly.', 1));
      }
      done();
    });
  },
  { name: 'pressure' },
);
