import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, type Metric, Registry } from 'prom-client';
import { RequestDurations } from './request-durations.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/**
 * Prometheus metrics at /metrics, in a registry per app (tests build many apps in one process):
 * request counts and durations by route template, verified-token cache hits/misses, JWKS fetches.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: { defaultMetrics?: boolean }) => {
    const registry = new Registry();
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
    const labelNames = ['method', 'route', 'status_code'] as const;
    // Our own accumulator in prom-client's histogram shape: no label hashing per request (ADR 0204).
    const durations = new RequestDurations([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
    // The request count is the histogram's count per label set: made from it at scrape time rather
    // than a second label hash per request (ADR 0182). Registered first, as before, so /metrics
    // lists the two in the same order.
    new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests',
      labelNames,
      registers: [registry],
      async collect() {
        const { values } = await durations.get();
        this.reset();
        for (const v of values) {
          if (v.metricName === 'http_request_duration_seconds_count') this.inc(v.labels, v.value);
        }
      },
    });
    registry.registerMetric(durations as unknown as Metric);
    new Counter({
      name: 'api_token_verify_cache_total',
      help: 'Verified-token cache lookups by result',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        this.reset();
        this.inc({ result: 'hit' }, app.verifier.stats.cacheHits);
        this.inc({ result: 'miss' }, app.verifier.stats.cacheMisses);
      },
    });
    new Counter({
      name: 'api_token_rejected_total',
      help: 'Access tokens refused by the verifier',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(app.verifier.stats.rejected);
      },
    });
    new Counter({
      name: 'api_jwks_fetch_total',
      help: 'JWKS fetch attempts by result',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const c = app.verifier.jwksCache;
        this.reset();
        this.inc({ result: 'ok' }, c.fetchAttempts - c.fetchFailures);
        this.inc({ result: 'error' }, c.fetchFailures);
      },
    });
    app.decorate('metrics', registry);

    // Callback style: no promise per request (ADR 0097).
    app.addHook('onResponse', (request, reply, done) => {
      durations.observe(
        request.method,
        request.routeOptions.url ?? 'unmatched',
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['verifier'] },
);
