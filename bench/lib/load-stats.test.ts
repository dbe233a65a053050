import { describe, expect, it } from 'vitest';
import { LoadRecorder, percentile, pickWeighted } from './load-stats.ts';

describe('LoadRecorder', () => {
  it('counts requests and errors per kind, with the reasons', () => {
    const rec = new LoadRecorder();
    for (let ms = 1; ms <= 100; ms++) rec.record('read', ms);
    rec.record('write', 5, 'HTTP 500');
    rec.record('write', 7, 'HTTP 500');
    rec.record('write', 9);
    const [read, write, never] = rec.summarize(10, ['read', 'write', 'sign-up']);
    expect(read).toMatchObject({ count: 100, errors: 0, perSecond: 10, p50ms: 50, p99ms: 99, maxMs: 100 });
    expect(write).toMatchObject({ count: 3, errors: 2, errorReasons: { 'HTTP 500': 2 } });
    expect(never).toMatchObject({ kind: 'sign-up', count: 0, errors: 0, p50ms: 0 });
    expect(rec.total).toBe(103);
    expect(rec.errors).toBe(2);
  });
});

describe('percentile and pickWeighted', () => {
  it('uses the nearest rank', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([4], 99)).toBe(4);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });

  it('picks by weight', () => {
    const w: ['a' | 'b', number][] = [
      ['a', 1],
      ['b', 3],
    ];
    expect(pickWeighted(w, 0)).toBe('a');
    expect(pickWeighted(w, 0.24)).toBe('a');
    expect(pickWeighted(w, 0.25)).toBe('b');
    expect(pickWeighted(w, 0.999)).toBe('b');
  });
});
