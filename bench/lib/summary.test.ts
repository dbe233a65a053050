import { describe, expect, it } from 'vitest';
import { chartTargets, collectTargets, isMet, type Loaded, loadRows, targetsTable } from './summary.ts';

const apiTargets = [
  { name: 'unauthenticated / bare Fastify', value: 0.32, target: 0.7, met: false },
  { name: 'authenticated with cache / unauthenticated', value: 0.97, target: 0.95, met: true },
  { name: 'users/me on Postgres / FastAPI peer', value: 3.4, target: 3, met: true },
  { name: 'item read on Postgres / FastAPI peer', value: 2.3, target: 3, met: false },
];
const noFile: Loaded<never> = { missing: 'no bench/results/idp.json' };

describe('collectTargets', () => {
  it('marks each issue-17 target from the value, not from what the bench claimed', () => {
    const lying = apiTargets.map((t) => ({ ...t, met: !t.met }));
    const rows = collectTargets({ api: { data: { targets: lying } }, idp: noFile });
    const api = rows.filter((r) => r.source === 'api');
    expect(api.map((r) => [r.value, r.met])).toEqual([
      [0.32, false],
      [0.97, true],
      [3.4, true],
      [2.3, false],
    ]);
  });

  it('lists every issue-17 target even when a file is missing, with the reason', () => {
    const rows = collectTargets({ api: { missing: 'bench/api.ts timed out' }, idp: noFile });
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r.met === undefined)).toBe(true);
    expect(rows[0]!.note).toBe('bench/api.ts timed out');
    expect(targetsTable(rows)).toContain('not measured (bench/api.ts timed out)');
  });

  it('matches IdP targets by name, "under" targets included, and keeps rows nobody claimed', () => {
    const idp = {
      targets: [
        // As bench/idp.ts names them; the rate first, so "/s" must not pass for a ratio.
        { name: 'SRP sign-ins/s with 100k users', value: 160 },
        { name: 'SRP sign-ins/s, 100k users / 100 users', value: 0.9 },
        { name: 'ListUsers with a filter, 100k users, median ms', value: 62 },
        { name: '100k-user pool: IdP start to listening, s', value: 3.2 },
        { name: 'something new', value: 1, target: 2, met: false },
      ],
    };
    const rows = collectTargets({ api: { data: { targets: apiTargets } }, idp: { data: idp } });
    const by = (n: string) => rows.find((r) => r.name === n)!;
    expect(by('SRP sign-ins/s at 100k users / at 100 users')).toMatchObject({ value: 0.9, met: true });
    expect(by('ListUsers with a filter (100k users)')).toMatchObject({ value: 62, met: false });
    expect(by('100k-user pool loads in the IdP')).toMatchObject({ value: 3.2, met: true });
    expect(by('SRP sign-ins per second (2 cores)')).toMatchObject({ value: 160, met: true });
    expect(by('something new')).toMatchObject({ value: 1, met: false, note: 'as the bench marked it' });
  });

  it('falls back to the SRP row of an idp.json without targets', () => {
    const idp = { cases: [{ name: 'SRP sign-in (InitiateAuth + RespondToAuthChallenge)', perSecond: 63 }] };
    const rows = collectTargets({ api: { data: {} }, idp: { data: idp } });
    expect(rows.find((r) => r.name === 'SRP sign-ins per second (2 cores)')).toMatchObject({
      value: 63,
      met: false,
    });
    expect(rows.find((r) => r.name.startsWith('ListUsers'))!.note).toMatch(/not in bench\/results\/idp.json/);
  });

  it("adds issue 9's start times", () => {
    const start = { data: { summary: { warm: { wallSeconds: 3.44, target: 5, met: true } } } };
    const rows = collectTargets({ api: noFile, idp: noFile, start });
    expect(rows.at(-1)).toMatchObject({ issue: '9', value: 3.4, goal: 5, op: '<', met: true });
    expect(rows.at(-2)).toMatchObject({ issue: '9', name: 'npm start, cold: wall time to ready' });
    expect(rows.at(-2)!.met).toBeUndefined();
    const timedOut = collectTargets({
      api: noFile,
      idp: noFile,
      start: { missing: 'bench/start.ts timed out' },
    });
    expect(timedOut.slice(-2).map((r) => r.note)).toEqual([
      'bench/start.ts timed out',
      'bench/start.ts timed out',
    ]);
  });
});

describe('isMet and chartTargets', () => {
  it('compares in the direction of the target', () => {
    expect(isMet(0.7, '>=', 0.7)).toBe(true);
    expect(isMet(50, '<', 50)).toBe(false);
  });

  it('scores "under" targets as goal / value so that above 1 is met', () => {
    const rows = collectTargets({
      api: noFile,
      idp: { data: { targets: [{ name: 'ListUsers filter ms', value: 25 }] } },
    });
    const list = chartTargets(rows).find((t) => t.name.startsWith('ListUsers'))!;
    expect(list.score).toBe(2);
    expect(list.met).toBe(true);
    expect(chartTargets(rows)[0]!.score).toBeUndefined();
  });
});

describe('loadRows', () => {
  it('puts errors in the row name so the chart shows them', () => {
    const kinds = [
      { kind: 'item read', count: 10, errors: 2, perSecond: 5, p50ms: 3, p99ms: 9 },
      { kind: 'sign-up', count: 1, errors: 0, perSecond: 0.5, p50ms: 30, p99ms: 30 },
    ];
    const rows = loadRows({
      data: { storage: 'x', virtualUsers: 1, seconds: 2, requests: 11, errors: 2, kinds },
    });
    expect(rows.map((r) => r.name)).toEqual(['item read (2 errors)', 'sign-up']);
  });
});
