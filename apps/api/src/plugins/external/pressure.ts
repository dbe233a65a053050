import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serviceUnavailable } from '../../errors.ts';

export interface PressureOptions {
  /** Shed load when the event loop lagged more than this in the last sample window. */
  maxEventLoopDelayMs?: number;
  sampleIntervalMs?: number;
}

/**
 * Load shedding on Node's own event-loop-delay histogram: when the loop lagged past the limit in the
 * last window, answer 503 problem+json with Retry-After at once instead of queueing more work.
 * /health and /metrics stay served so probes see the truth. Not @fastify/under-pressure: it compares
 * the window's mean delay, which reads a 1.5 s stall as 35–150 ms and never sheds (ADR 0112); the
 * window's max (and this timer's own lateness) does.
 */
export const pressurePlugin = fp(
  async (app: FastifyInstance, opts: PressureOptions) => {
    const limitMs = opts.maxEventLoopDelayMs ?? 1000;
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    let overloaded = false;
    let timer: NodeJS.Timeout | undefined;
    // Start measuring once ready: start-up work (PGlite's WASM, migrations) must not count.
    app.addHook('onReady', async () => {
      histogram.enable();
      const every = opts.sampleIntervalMs ?? 500;
      let last = performance.now();
      timer = setInterval(() => {
        // This timer's own lateness catches a stall even if the histogram's sample lands after reset.
        const now = performance.now();
        const lateMs = now - last - every;
        last = now;
        overloaded = lateMs > limitMs || histogram.max / 1e6 > limitMs;
        histogram.reset();
      }, every);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      histogram.disable();
    });
    app.addHook('onRequest', async (request) => {
      if (overloaded && request.url !== '/health' && request.url !== '/metrics') {
        throw serviceUnavailable('The server is overloaded; retry shortly.', 1);
      }
    });
  },
  { name: 'pressure' },
);
