import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

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
    const durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      // Not the global registry: registered into this app's below, after the counter.
      registers: [],
    });
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
    registry.registerMetric(durations);
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
    // The label object of each (route, method, status) is made once and reused.
    const labelSets = new Map<string, Record<(typeof labelNames)[number], string>>();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const key = `${reply.statusCode} ${request.method} ${route}`;
      let labels = labelSets.get(key);
      if (labels === undefined) {
        labels = { method: request.method, route, status_code: String(reply.statusCode) };
        labelSets.set(key, labels);
      }
      durations.observe(labels, reply.elapsedTime / 1000);
      done();
    });
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['verifier'] },
);
