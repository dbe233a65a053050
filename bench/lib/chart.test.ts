import { describe, expect, it } from 'vitest';
import { esc, renderChart, renderSummaryChart } from './chart.ts';

describe('chart', () => {
  it('escapes names, so a case name cannot break the SVG', () => {
    expect(esc('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
    const svg = renderChart('t', [{ name: 'GET /items/<id>', reqPerSec: 10, p50ms: 1, p99ms: 2 }], 'n');
    expect(svg).toContain('GET /items/&lt;id&gt;');
    expect(svg).not.toContain('<id>');
  });

  it('draws a bar per value and skips latency bars a row does not have', () => {
    const svg = renderChart(
      't',
      [
        { name: 'a', reqPerSec: 100, p50ms: 1, p99ms: 5 },
        { name: 'b', reqPerSec: 50 },
      ],
      'n',
    );
    expect(svg.match(/<rect /g)).toHaveLength(1 + 3 + 1); // background, a's three bars, b's one
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*>\n<title>t<\/title>/);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });

  it('colours targets by met / not met, and says "not measured" without a bar', () => {
    const svg = renderSummaryChart(
      'summary',
      [
        { name: 'x', score: 1.2, label: '1.2x', met: true },
        { name: 'y', score: 0.4, label: '0.4x', met: false },
        { name: 'z', label: 'not measured' },
      ],
      [{ heading: 'api', rows: [{ name: 'a', reqPerSec: 1, p50ms: 1, p99ms: 1 }] }],
      'note',
    );
    expect(svg).toContain('fill="#4f9d52"');
    expect(svg).toContain('fill="#d0483e"');
    expect(svg).toContain('not measured');
    expect(svg).toContain('stroke-dasharray'); // the goal line
  });
});

describe('labels', () => {
  it('cuts a long name and keeps the whole one as its tooltip', () => {
    const long = 'token issue (REFRESH_TOKEN_AUTH: access + ID token) with a very long tail';
    const svg = renderChart('t', [{ name: long, reqPerSec: 1 }], 'n');
    expect(svg).toContain(`<title>${long}</title>`);
    expect(svg).toContain(`>${long.slice(0, 49)}…</text>`);
  });
});
