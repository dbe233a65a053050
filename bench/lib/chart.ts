/**
 * A self-contained SVG (no network, no library): per case, a throughput bar and p50/p99 latency
 * bars side by side, so a run can be read at a glance. Values are the medians over rounds.
 */
export interface ChartRow {
  name: string;
  reqPerSec: number;
  p50ms: number;
  p99ms: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(
  rows: ChartRow[],
  x0: number,
  width: number,
  title: string,
  bars: { value: (r: ChartRow) => number; colour: string; unit: string }[],
  rowHeight: number,
  top: number,
): string {
  const max = Math.max(1, ...rows.flatMap((r) => bars.map((b) => b.value(r))));
  const barH = (rowHeight - 6) / bars.length;
  const out = [`<text x="${x0}" y="${top - 10}" font-weight="bold">${esc(title)}</text>`];
  rows.forEach((r, i) => {
    bars.forEach((b, j) => {
      const v = b.value(r);
      const w = Math.max(1, (v / max) * (width - 70));
      const y = top + i * rowHeight + j * barH;
      out.push(
        `<rect x="${x0}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${(barH - 1).toFixed(1)}" fill="${b.colour}"/>`,
        `<text x="${(x0 + w + 4).toFixed(1)}" y="${(y + barH - 3).toFixed(1)}" font-size="10">${v.toLocaleString('en')}${b.unit}</text>`,
      );
    });
  });
  return out.join('\n');
}

export function renderChart(title: string, rows: ChartRow[], note: string): string {
  const rowHeight = 26;
  const top = 60;
  const label = 300;
  const panelW = 330;
  const width = label + panelW * 2 + 20;
  const height = top + rows.length * rowHeight + 40;
  const labels = rows.map(
    (r, i) =>
      `<text x="${label - 8}" y="${top + i * rowHeight + rowHeight / 2}" text-anchor="end" font-size="11">${esc(r.name)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>
${labels.join('\n')}
${panel(rows, label, panelW, 'throughput (req/s, median of rounds)', [{ value: (r) => r.reqPerSec, colour: '#3b78c3', unit: '' }], rowHeight, top)}
${panel(
  rows,
  label + panelW + 10,
  panelW,
  'latency (ms): p50 / p99',
  [
    { value: (r) => r.p50ms, colour: '#7fb77e', unit: ' ms' },
    { value: (r) => r.p99ms, colour: '#e07b39', unit: ' ms' },
  ],
  rowHeight,
  top,
)}
<text x="10" y="${height - 12}" font-size="10" fill="#555">${esc(note)}</text>
</svg>
`;
}
