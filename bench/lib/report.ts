/**
 * The end of `npm run bench`: reads what the benches wrote in bench/results, prints one table of
 * every issue-17 target (MET / NOT MET / not measured, with why) and the load test's figures, and
 * writes bench/results/summary.json and summary.svg.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { renderSummaryChart } from './chart.ts';
import type { BenchRun } from './suite.ts';
import {
  type ApiJson,
  apiRows,
  chartTargets,
  collectTargets,
  type IdpJson,
  idpRows,
  type Loaded,
  type LoadJson,
  loadRows,
  type StartJson,
  status,
  targetsTable,
} from './summary.ts';

/**
 * A bench's JSON. One this run ran must be newer than its start (else the file is an older run's);
 * one it did not run is used with its date.
 */
export function loadResult<T>(dir: string, name: string, run: BenchRun | undefined): Loaded<T> {
  const file = join(dir, `${name}.json`);
  const why =
    run && run.status !== 'ok' ? `bench/${name}.ts ${run.status}${run.detail ? `: ${run.detail}` : ''}` : '';
  if (!existsSync(file))
    return { missing: why || `no bench/results/${name}.json: run \`npm run bench -- ${name}\`` };
  const mtime = statSync(file).mtimeMs;
  if (run && mtime < run.startedAt)
    return {
      missing: `${why || `bench/${name}.ts wrote nothing`}; bench/results/${name}.json is from ${new Date(mtime).toISOString()}`,
    };
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as T;
    return run ? { data } : { data, note: `from an earlier run, ${new Date(mtime).toISOString()}` };
  } catch (err) {
    return { missing: `bench/results/${name}.json is not JSON (${(err as Error).message})` };
  }
}

export function writeSummary(opts: {
  dir: string;
  runs: BenchRun[];
  command: string;
  startedAt: number;
  loadBefore: number[];
}): { notMet: number } {
  const { dir, runs } = opts;
  const ran = (name: string) => runs.find((r) => r.name === name);
  const api = loadResult<ApiJson>(dir, 'api', ran('api'));
  const idp = loadResult<IdpJson>(dir, 'idp', ran('idp'));
  const start = loadResult<StartJson>(dir, 'start', ran('start'));
  const load = loadResult<LoadJson>(dir, 'load', ran('load'));
  const targets = collectTargets({ api, idp, start });
  const loadAfter = loadavg();
  const seconds = Math.round((Date.now() - opts.startedAt) / 1000);
  const la = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');

  console.log(`\n=== summary: ${opts.command}, ${seconds} s in all`);
  console.log(
    `load average (1/5/15 min) before ${la(opts.loadBefore)}, after ${la(loadAfter)} on ${cpus().length} cores`,
  );
  for (const r of runs)
    console.log(`  bench/${r.name}.ts: ${r.status} in ${r.seconds} s${r.detail ? ` (${r.detail})` : ''}`);
  console.log(`\n${targetsTable(targets)}`);
  const lr = loadRows(load);
  if ('data' in load) {
    const d = load.data;
    console.log(
      `\nload test: ${d.virtualUsers} virtual users, ${d.seconds} s, ${d.storage}: ${d.requests} requests, ${d.errors} errors${load.note ? ` (${load.note})` : ''}`,
    );
    console.log('| kind | per s | p50 ms | p99 ms | count | errors |\n| --- | --- | --- | --- | --- | --- |');
    for (const k of d.kinds) {
      const reasons = Object.entries(k.errorReasons ?? {})
        .map(([r, n]) => `${r} x${n}`)
        .join(', ');
      console.log(
        `| ${k.kind} | ${k.perSecond} | ${k.p50ms} | ${k.p99ms} | ${k.count} | ${k.errors}${reasons ? ` (${reasons})` : ''} |`,
      );
    }
  } else console.log(`\nload test: not measured (${load.missing})`);

  const when = new Date().toISOString();
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'summary.json'),
    `${JSON.stringify(
      {
        when,
        command: opts.command,
        node: process.version,
        cores: cpus().length,
        seconds,
        loadAverage: { before: opts.loadBefore, after: loadAfter },
        benches: runs.map(({ startedAt: _s, ...r }) => r),
        targets: targets.map((t) => ({ ...t, status: status(t) })),
        load: 'data' in load ? load.data : { missing: load.missing },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(
    join(dir, 'summary.svg'),
    renderSummaryChart(
      'npm run bench — issue 17 targets, API cases, IdP and the load test',
      chartTargets(targets),
      [
        { heading: 'API (bench/api.ts: medians of interleaved rounds, 16 connections)', rows: apiRows(api) },
        { heading: 'IdP (bench/idp.ts)', rows: idpRows(idp) },
        { heading: 'whole stack under a mixed load (bench/load.ts)', rows: lr },
      ],
      `${when} · node ${process.version} · ${cpus().length} cores · load average before ${la(opts.loadBefore)}, after ${la(loadAfter)} · ${opts.command}`,
    ),
  );
  console.log('\nwrote bench/results/summary.json and bench/results/summary.svg');
  return { notMet: targets.filter((t) => t.met === false).length };
}
