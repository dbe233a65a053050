/**
 * Per kind of request: how many, how many failed (with the first few reasons, never a token or a
 * password — callers pass an error's name or an HTTP status), and latency percentiles. The load
 * test is bounded in count, so every duration is kept and sorted once at the end.
 */
export interface KindStats {
  kind: string;
  count: number;
  errors: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  /** Distinct failure reasons with their counts. */
  errorReasons: Record<string, number>;
}

/** The nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export class LoadRecorder {
  private readonly kinds = new Map<string, { ms: number[]; errors: number; reasons: Map<string, number> }>();

  private of(kind: string) {
    let k = this.kinds.get(kind);
    if (!k) {
      k = { ms: [], errors: 0, reasons: new Map() };
      this.kinds.set(kind, k);
    }
    return k;
  }

  /** A finished request: its duration, and why it failed if it did. */
  record(kind: string, ms: number, failure?: string): void {
    const k = this.of(kind);
    k.ms.push(ms);
    if (failure !== undefined) {
      k.errors++;
      k.reasons.set(failure, (k.reasons.get(failure) ?? 0) + 1);
    }
  }

  get total(): number {
    let n = 0;
    for (const k of this.kinds.values()) n += k.ms.length;
    return n;
  }

  get errors(): number {
    let n = 0;
    for (const k of this.kinds.values()) n += k.errors;
    return n;
  }

  /** One row per kind, in the order given (kinds never seen get a zero row: they show as 0, not absent). */
  summarize(seconds: number, order: string[] = [...this.kinds.keys()]): KindStats[] {
    const kinds = [...new Set([...order, ...this.kinds.keys()])];
    return kinds.map((kind) => {
      const k = this.kinds.get(kind) ?? { ms: [], errors: 0, reasons: new Map<string, number>() };
      const sorted = [...k.ms].sort((a, b) => a - b);
      const round = (x: number) => Math.round(x * 10) / 10;
      return {
        kind,
        count: sorted.length,
        errors: k.errors,
        perSecond: seconds > 0 ? round(sorted.length / seconds) : 0,
        p50ms: round(percentile(sorted, 50)),
        p99ms: round(percentile(sorted, 99)),
        maxMs: round(sorted.at(-1) ?? 0),
        errorReasons: Object.fromEntries(k.reasons),
      };
    });
  }
}

/** Picks a kind by weight with r in [0, 1). */
export function pickWeighted<K extends string>(weights: [K, number][], r: number): K {
  const total = weights.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [k, w] of weights) {
    if (x < w) return k;
    x -= w;
  }
  return weights.at(-1)![0];
}
