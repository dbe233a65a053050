/**
 * The run's verdict, from the JSON the benches wrote: every issue-17 target (and issue 9's start
 * times) with its value and MET / NOT MET / not measured. Pure: the files are read by run.ts and
 * passed in, so the matching and marking are tested without running a bench.
 */
import type { ChartRow, ChartTarget } from './chart.ts';
import type { KindStats } from './load-stats.ts';

export type Op = '>=' | '<';

/** A target as a bench may write it (api.ts, idp.ts, start.ts): the name and value are what count. */
export interface SourceTarget {
  name: string;
  value?: number | null;
  target?: number;
  met?: boolean;
  unit?: string;
}

export interface TargetRow {
  issue: string;
  source: string;
  name: string;
  op: Op;
  goal: number;
  unit: string;
  value?: number;
  /** undefined: not measured (see note). */
  met?: boolean;
  note?: string;
}

interface Canonical {
  source: 'api' | 'idp';
  name: string;
  op: Op;
  goal: number;
  unit: string;
  /** Picks the bench's own target row for this one (first unused match wins, in this order). */
  match: (name: string) => boolean;
}

const has =
  (...res: RegExp[]) =>
  (name: string) =>
    res.every((re) => re.test(name));

/** Issue 17's targets, in the order the issue lists them. */
export const ISSUE_17: Canonical[] = [
  {
    source: 'api',
    name: 'API unauthenticated / bare Fastify',
    op: '>=',
    goal: 0.7,
    unit: 'x',
    match: has(/unauth/i, /bare/i),
  },
  {
    source: 'api',
    name: 'authenticated with token cache / unauthenticated',
    op: '>=',
    goal: 0.95,
    unit: 'x',
    match: has(/cache/i, /unauth/i),
  },
  {
    source: 'api',
    name: 'users/me on Postgres / FastAPI peer',
    op: '>=',
    goal: 3,
    unit: 'x',
    match: has(/users\/me/i, /fastapi/i),
  },
  {
    source: 'api',
    name: 'item read on Postgres / FastAPI peer',
    op: '>=',
    goal: 3,
    unit: 'x',
    match: has(/item/i, /fastapi/i),
  },
  {
    source: 'idp',
    name: 'SRP sign-ins/s at 100k users / at 100 users',
    op: '>=',
    goal: 0.8,
    unit: 'x',
    match: has(/100k|100 ?000/i, /\s\/\s|ratio|\bvs\b|\bover\b/i),
  },
  {
    source: 'idp',
    name: 'ListUsers with a filter (100k users)',
    op: '<',
    goal: 50,
    unit: 'ms',
    match: has(/list ?users/i),
  },
  {
    source: 'idp',
    name: '100k-user pool loads in the IdP',
    op: '<',
    goal: 5,
    unit: 's',
    match: has(/load|open|start/i),
  },
  {
    source: 'idp',
    name: 'SRP sign-ins per second (2 cores)',
    op: '>=',
    goal: 150,
    unit: '/s',
    match: has(/srp/i),
  },
];

export const isMet = (value: number, op: Op, goal: number): boolean =>
  op === '>=' ? value >= goal : value < goal;

/** What a bench's JSON held, or why there is none. */
export type Loaded<T> = { data: T; note?: string } | { missing: string };

export interface ApiJson {
  targets?: SourceTarget[];
  results?: { name: string; reqPerSec: number; p50ms: number; p99ms: number; failed?: number }[];
}

type IdpCase = { name?: string; perSecond?: number; size?: number; [k: string]: unknown };
/** Any shape idp.ts writes: a `targets` list if it has one, else the SRP row of its `cases` (or older `results`). */
export interface IdpJson {
  targets?: SourceTarget[];
  cases?: IdpCase[];
  results?: IdpCase[];
}

export interface StartJson {
  summary?: Record<string, { wallSeconds: number; target: number; met: boolean }>;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function idpFallback(idp: IdpJson): SourceTarget[] {
  const srp = (idp.cases ?? idp.results)?.find(
    (r) => typeof r.name === 'string' && /^SRP sign-in/i.test(r.name),
  );
  const value = num(srp?.perSecond);
  return value === undefined ? [] : [{ name: 'SRP sign-ins per second', value }];
}

/** Matches each canonical target to its bench's row; bench rows nobody claimed are kept as extra rows. */
export function collectTargets(
  files: { api: Loaded<ApiJson>; idp: Loaded<IdpJson>; start?: Loaded<StartJson> },
  canonical: Canonical[] = ISSUE_17,
): TargetRow[] {
  const rows: TargetRow[] = [];
  const pools = {
    api: 'data' in files.api ? [...(files.api.data.targets ?? [])] : [],
    idp:
      'data' in files.idp
        ? files.idp.data.targets
          ? [...files.idp.data.targets]
          : idpFallback(files.idp.data)
        : [],
  };
  for (const c of canonical) {
    const file = files[c.source];
    const base = { issue: '17', source: c.source, name: c.name, op: c.op, goal: c.goal, unit: c.unit };
    if ('missing' in file) {
      rows.push({ ...base, note: file.missing });
      continue;
    }
    const pool = pools[c.source];
    const i = pool.findIndex((t) => c.match(t.name));
    const found = i >= 0 ? pool.splice(i, 1)[0] : undefined;
    const value = num(found?.value);
    if (value === undefined) {
      rows.push({
        ...base,
        note: `not in bench/results/${c.source}.json${file.note ? `, ${file.note}` : ''}`,
      });
      continue;
    }
    rows.push({
      ...base,
      value,
      met: isMet(value, c.op, c.goal),
      ...(file.note ? { note: file.note } : {}),
    });
  }
  for (const [source, pool] of Object.entries(pools))
    for (const t of pool) {
      const value = num(t.value);
      rows.push({
        issue: '17',
        source,
        name: t.name,
        op: '>=',
        goal: t.target ?? Number.NaN,
        unit: t.unit ?? '',
        ...(value !== undefined ? { value } : {}),
        ...(typeof t.met === 'boolean' && value !== undefined ? { met: t.met } : {}),
        note: 'as the bench marked it',
      });
    }
  if (files.start) rows.push(...startRows(files.start));
  return rows;
}

/** issue 9's start times (warm < 5 s, cold < 10 s), or why they were not measured. */
function startRows(start: Loaded<StartJson>): TargetRow[] {
  return (['cold', 'warm'] as const).map((kind) => {
    const base = {
      issue: '9',
      source: 'start',
      name: `npm start, ${kind}: wall time to ready`,
      op: '<' as const,
      goal: kind === 'cold' ? 10 : 5,
      unit: 's',
    };
    if ('missing' in start) return { ...base, note: start.missing };
    const s = start.data.summary?.[kind];
    if (!s) return { ...base, note: 'not in bench/results/start.json' };
    return {
      ...base,
      goal: s.target,
      value: +s.wallSeconds.toFixed(1),
      met: s.wallSeconds < s.target,
      ...(start.note ? { note: start.note } : {}),
    };
  });
}

export const status = (r: TargetRow): string =>
  r.met === undefined ? 'not measured' : r.met ? 'MET' : 'NOT MET';

const fmt = (v: number, unit: string) =>
  `${+v.toFixed(unit === 'x' ? 2 : 1)}${unit === '/s' ? '/s' : unit === 'x' ? 'x' : ` ${unit}`}`;

export function goalText(r: TargetRow): string {
  if (Number.isNaN(r.goal)) return '—';
  return `${r.op === '>=' ? '≥' : '<'} ${fmt(r.goal, r.unit)}`;
}

/** The printed table (markdown, so it can go into a README as is). */
export function targetsTable(rows: TargetRow[]): string {
  const lines = ['| issue | target | value | goal | status |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const value = r.value === undefined ? '—' : fmt(r.value, r.unit);
    const note = r.note ? ` (${r.note})` : '';
    lines.push(`| ${r.issue} | ${r.name} | ${value} | ${goalText(r)} | ${status(r)}${note} |`);
  }
  return lines.join('\n');
}

/** For the chart: how far each target is from its goal, 1 being the goal. */
export function chartTargets(rows: TargetRow[]): ChartTarget[] {
  return rows
    .filter((r) => !Number.isNaN(r.goal))
    .map((r) => {
      const label =
        r.value === undefined
          ? `not measured (goal ${goalText(r)})`
          : `${fmt(r.value, r.unit)} (goal ${goalText(r)}) ${status(r)}`;
      if (r.value === undefined) return { name: r.name, label };
      const score = r.op === '>=' ? r.value / r.goal : r.goal / Math.max(r.value, 1e-9);
      return { name: r.name, score, label, ...(r.met !== undefined ? { met: r.met } : {}) };
    });
}

/** The case rows of the API bench, as the chart draws them. */
export function apiRows(api: Loaded<ApiJson>): ChartRow[] {
  if (!('data' in api)) return [];
  return (api.data.results ?? []).map((r) => ({
    name: r.name,
    reqPerSec: r.reqPerSec,
    p50ms: r.p50ms,
    p99ms: r.p99ms,
  }));
}

/** The IdP bench's rows with a per-second figure (latencies where it wrote them); names carry the pool size. */
export function idpRows(idp: Loaded<IdpJson>): ChartRow[] {
  if (!('data' in idp)) return [];
  return (idp.data.cases ?? idp.data.results ?? []).flatMap((r) => {
    const perSecond = num(r.perSecond);
    if (perSecond === undefined || typeof r.name !== 'string') return [];
    const p50 = num(r.p50ms);
    const p99 = num(r.p99ms);
    return [
      {
        name: r.name,
        reqPerSec: perSecond,
        ...(p50 !== undefined ? { p50ms: p50 } : {}),
        ...(p99 !== undefined ? { p99ms: p99 } : {}),
      },
    ];
  });
}

/** What bench/load.ts writes (the fields the summary reads). */
export interface LoadJson {
  storage: string;
  virtualUsers: number;
  seconds: number;
  requests: number;
  errors: number;
  /** Read from a file: maxMs and errorReasons may be absent in an older one. */
  kinds: (Omit<KindStats, 'maxMs' | 'errorReasons'> & Partial<KindStats>)[];
}

/** The load test's kinds of request as chart rows; errors go in the name so they are never hidden. */
export function loadRows(load: Loaded<LoadJson>): ChartRow[] {
  if (!('data' in load)) return [];
  return load.data.kinds.map((k) => ({
    name: k.errors > 0 ? `${k.kind} (${k.errors} errors)` : k.kind,
    reqPerSec: k.perSecond,
    p50ms: k.p50ms,
    p99ms: k.p99ms,
  }));
}
