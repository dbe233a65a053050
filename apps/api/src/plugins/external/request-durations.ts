/** The labels of one series: method, route template, status code, in this order (as prom-client keeps them). */
type Labels = { method: string; route: string; status_code: string };

interface Series {
  labels: Labels;
  /** Observations per bucket (not cumulative), the last one for those above every bound. */
  counts: number[];
  sum: number;
  count: number;
}

interface Value {
  labels: Record<string, string | number>;
  sharedLabels: Labels | Record<string, never>;
  value: number;
  metricName: string;
  /** prom-client sets null on buckets (no exemplars here), nothing on _sum and _count. */
  exemplar?: null;
}

/**
 * `http_request_duration_seconds` as a prom-client registry metric, updated per request with one Map
 * lookup by a string key (ADR 0204). prom-client's Histogram hashes the label object (sorting its keys)
 * on every `observe`, which was most of the metrics hook's cost. The registry reads it through
 * `getForPromString()`/`get()` exactly as it reads a prom-client Histogram: the same lines, labels,
 * order and cumulative `le` buckets with `+Inf`, `_sum` and `_count` (metrics.test.ts compares them).
 */
export class RequestDurations {
  readonly name = 'http_request_duration_seconds';
  readonly help = 'HTTP request duration';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private series = new Map<string, Series>();

  constructor(readonly upperBounds: readonly number[]) {}

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${statusCode} ${method} ${route}`;
    let s = this.series.get(key);
    if (s === undefined) {
      const labels = { method, route, status_code: String(statusCode) };
      s = { labels, counts: new Array(this.upperBounds.length + 1).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    // prom-client's rule: the first bound the value is at or below.
    let i = 0;
    while (i < this.upperBounds.length && seconds > this.upperBounds[i]!) i++;
    s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }

  reset(): void {
    this.series = new Map();
  }

  async getForPromString(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    values: Value[];
    aggregator: 'sum';
  }> {
    const values: Value[] = [];
    const bucket = `${this.name}_bucket`;
    for (const s of this.series.values()) {
      let acc = 0;
      this.upperBounds.forEach((le, i) => {
        acc += s.counts[i]!;
        values.push({
          labels: { le },
          sharedLabels: s.labels,
          value: acc,
          metricName: bucket,
          exemplar: null,
        });
      });
      values.push(
        {
          labels: { le: '+Inf' },
          sharedLabels: s.labels,
          value: s.count,
          metricName: bucket,
          exemplar: null,
        },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count` },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** As prom-client's `get()`: every value's labels with the series' labels merged in. */
  async get() {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ labels, sharedLabels, ...rest }) => ({
        ...rest,
        labels: { ...labels, ...sharedLabels },
      })),
    };
  }
}
