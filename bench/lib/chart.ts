/**
 * Self-contained SVG charts (no network, no library, no browser). One owner for every bench's plot:
 * per case a throughput bar and p50/p99 latency bars side by side (api.ts's chart, the summary's case
 * sections), and a targets panel where each issue-17 target is a bar of value over target with a
 * line at 1 (met on the right of it).
 */
export interface ChartRow {
  name: string;
  reqPerSec: number;
  /** Absent where a bench reports throughput only (e.g. the IdP's sign-ins per second). */
  p50ms?: number;
  p99ms?: number;
}

/** A target as the chart needs it: how far from its goal, in the direction that counts. */
export interface ChartTarget {
  name: string;
  /** value / goal for "at least" targets, goal / value for "under" ones; undefined: not measured. */
  score?: number;
  label: string;
  met?: boolean;
}

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const ROW_H = 26;
const LABEL_W = 300;
const PANEL_W = 330;
const WIDTH = LABEL_W + PANEL_W * 2 + 20;

interface Bar {
  value: (r: ChartRow) => number | undefined;
  colour: string;
  unit: string;
}

function panel(rows: ChartRow[], x0: number, title: string, bars: Bar[], top: number): string {
  const max = Math.max(1, ...rows.flatMap((r) => bars.map((b) => b.value(r) ?? 0)));
  const barH = (ROW_H - 6) / bars.length;
  const out = [`<text x="${x0}" y="${top - 10}" font-weight="bold">${esc(title)}</text>`];
  rows.forEach((r, i) => {
    bars.forEach((b, j) => {
      const v = b.value(r);
      if (v === undefined) return;
      const w = Math.max(1, (v / max) * (PANEL_W - 70));
      const y = top + i * ROW_H + j * barH;
      out.push(
        `<rect x="${x0}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${(barH - 1).toFixed(1)}" fill="${b.colour}"/>`,
        `<text x="${(x0 + w + 4).toFixed(1)}" y="${(y + barH - 3).toFixed(1)}" font-size="10">${v.toLocaleString('en')}${b.unit}</text>`,
      );
    });
  });
  return out.join('\n');
}

/** Long names are cut (the full one is the tooltip) so they stay inside the label column. */
const MAX_LABEL = 50;

function labels(names: string[], top: number): string {
  return names
    .map((n, i) => {
      const short = n.length > MAX_LABEL ? `${n.slice(0, MAX_LABEL - 1)}…` : n;
      return `<text x="${LABEL_W - 8}" y="${top + i * ROW_H + ROW_H / 2}" text-anchor="end" font-size="11"><title>${esc(n)}</title>${esc(short)}</text>`;
    })
    .join('\n');
}

/** A section of cases: heading, then throughput and latency panels. Returns the SVG and its height. */
function casesSection(heading: string, rows: ChartRow[], y: number): { svg: string; height: number } {
  const top = y + 44;
  const svg = [
    `<text x="10" y="${y + 14}" font-size="13" font-weight="bold">${esc(heading)}</text>`,
    labels(
      rows.map((r) => r.name),
      top,
    ),
    panel(
      rows,
      LABEL_W,
      'throughput (per second)',
      [{ value: (r) => r.reqPerSec, colour: '#3b78c3', unit: '' }],
      top,
    ),
    panel(
      rows,
      LABEL_W + PANEL_W + 10,
      'latency (ms): p50 / p99',
      [
        { value: (r) => r.p50ms, colour: '#7fb77e', unit: ' ms' },
        { value: (r) => r.p99ms, colour: '#e07b39', unit: ' ms' },
      ],
      top,
    ),
  ].join('\n');
  return { svg, height: 44 + rows.length * ROW_H + 10 };
}

/** Targets: a bar per target scaled so 1 (the goal) is a vertical line; green met, red not, grey unmeasured. */
function targetsSection(targets: ChartTarget[], y: number): { svg: string; height: number } {
  const top = y + 30;
  const x0 = LABEL_W;
  const span = PANEL_W * 2 - 60;
  const maxScore = Math.max(2, ...targets.map((t) => t.score ?? 0));
  const xOf = (s: number) => x0 + (Math.min(s, maxScore) / maxScore) * span;
  const out = [
    `<text x="10" y="${y + 14}" font-size="13" font-weight="bold">targets: value / goal (1 = the goal; right of the line = met)</text>`,
    labels(
      targets.map((t) => t.name),
      top,
    ),
  ];
  targets.forEach((t, i) => {
    const yy = top + i * ROW_H + 3;
    if (t.score === undefined) {
      out.push(`<text x="${x0}" y="${yy + 13}" font-size="10" fill="#777">${esc(t.label)}</text>`);
      return;
    }
    const w = Math.max(1, xOf(t.score) - x0);
    const colour = t.met ? '#4f9d52' : '#d0483e';
    out.push(
      `<rect x="${x0}" y="${yy}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="${colour}"/>`,
      `<text x="${(x0 + w + 4).toFixed(1)}" y="${yy + 13}" font-size="10">${esc(t.label)}</text>`,
    );
  });
  const lineX = xOf(1).toFixed(1);
  out.push(
    `<line x1="${lineX}" y1="${top - 4}" x2="${lineX}" y2="${top + targets.length * ROW_H}" stroke="#000" stroke-dasharray="4 3"/>`,
    `<text x="${lineX}" y="${top - 8}" text-anchor="middle" font-size="10">goal</text>`,
  );
  return { svg: out.join('\n'), height: 30 + targets.length * ROW_H + 10 };
}

function document(title: string, body: string, height: number, note: string): string {
  // role and title: screen readers (and the README that shows the chart) get its name.
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${WIDTH}" height="${height + 30}" font-family="sans-serif" font-size="12">
<title>${esc(title)}</title>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>
${body}
<text x="10" y="${height + 18}" font-size="10" fill="#555">${esc(note)}</text>
</svg>
`;
}

/** One section of cases (api.ts's chart). */
export function renderChart(title: string, rows: ChartRow[], note: string): string {
  const section = casesSection('', rows, 20);
  return document(title, section.svg, 20 + section.height, note);
}

/** The whole run: the targets first, then each bench's cases. */
export function renderSummaryChart(
  title: string,
  targets: ChartTarget[],
  sections: { heading: string; rows: ChartRow[] }[],
  note: string,
): string {
  const parts: string[] = [];
  let y = 30;
  if (targets.length > 0) {
    const t = targetsSection(targets, y);
    parts.push(t.svg);
    y += t.height;
  }
  for (const s of sections) {
    if (s.rows.length === 0) continue;
    const c = casesSection(s.heading, s.rows, y);
    parts.push(c.svg);
    y += c.height;
  }
  return document(title, parts.join('\n'), y, note);
}
