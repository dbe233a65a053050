import { Histogram, type Metric, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestDurations } from './request-durations.ts';

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

describe('RequestDurations (ADR 0204)', () => {
  it("writes the same /metrics lines as prom-client's Histogram for the same observations", async () => {
    const theirs = new Registry();
    const histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const ours = new Registry();
    const durations = new RequestDurations(BUCKETS);
    ours.registerMetric(durations as unknown as Metric);
    const seen: [string, string, number, number][] = [
      ['GET', '/health', 200, 0.0004],
      ['GET', '/health', 200, 0.005], // on a bound: counted in that bucket
      ['GET', '/health', 200, 3], // above every bound: +Inf only
      ['POST', '/api/v1/items', 201, 0.02],
      ['GET', 'unmatched', 404, 0.3],
      ['GET', '/health', 503, 0.7],
    ];
    for (const [method, route, status, seconds] of seen) {
      histogram.observe({ method, route, status_code: String(status) }, seconds);
      durations.observe(method, route, status, seconds);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await durations.get()).toEqual(await histogram.get());
    durations.reset();
    histogram.reset();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
