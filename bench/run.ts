/**
 * `npm run bench`: every benchmark, one after the other (never in parallel: 2 noisy cores), each with
 * the suite's shorter settings and a time cap so the whole run stays under 6 minutes (bench/lib/
 * suite.ts), then ONE summary of every issue-17 target, MET / NOT MET, with the load test's figures,
 * written to bench/results/summary.json and summary.svg.
 * `npm run bench -- api load`: just those, each with its own fuller defaults and no cap; the summary
 * then uses older result files for the others, with their dates.
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSummary } from './lib/report.ts';
import { type BenchRun, BUDGET_SECONDS, interruption, runBench, SUITE } from './lib/suite.ts';

const here = dirname(fileURLToPath(import.meta.url));
// The machine's Node is 20; the AWS SDK's notice about its future Node 22 floor is noise in the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const all = SUITE.map((p) => p.name);
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
  process.exit(2);
}
const suite = wanted.length === 0;
const plans = suite ? SUITE : SUITE.filter((p) => wanted.includes(p.name));
const command = suite ? 'npm run bench' : `npm run bench -- ${wanted.join(' ')}`;

const startedAt = Date.now();
const loadBefore = loadavg();
const elapsed = () => Math.round((Date.now() - startedAt) / 1000);
const runs: BenchRun[] = [];
console.log(
  suite
    ? `${plans.length} benches, one after the other, under ${BUDGET_SECONDS} s in all (each capped; shorter settings than alone)`
    : `${plans.map((p) => p.name).join(', ')} with their own defaults`,
);
for (const [i, plan] of plans.entries()) {
  const left = BUDGET_SECONDS - elapsed();
  const skip = interruption.requested
    ? 'interrupted (Ctrl-C)'
    : suite && left < 15
      ? `the ${BUDGET_SECONDS} s budget was used up`
      : undefined;
  if (skip) {
    runs.push({ name: plan.name, status: 'skipped', seconds: 0, detail: skip, startedAt: Date.now() });
    console.log(`\n=== [${i + 1}/${plans.length}] bench/${plan.name}.ts skipped: ${skip}`);
    continue;
  }
  const cap = suite ? Math.min(plan.capSeconds, left) : undefined;
  const settings = suite ? Object.entries(plan.env).map(([k, v]) => `${k}=${process.env[k] ?? v}`) : [];
  console.log(
    `\n=== [${i + 1}/${plans.length}] bench/${plan.name}.ts${settings.length ? ` (${settings.join(' ')})` : ''}` +
      `${cap ? `, cap ${cap} s` : ''}, ${elapsed()} s into the run`,
  );
  const run = await runBench(
    plan.name,
    { tsx: join(here, '..', 'node_modules', '.bin', 'tsx'), file: join(here, `${plan.name}.ts`) },
    {
      env: suite ? plan.env : {},
      ...(cap ? { capSeconds: cap } : {}),
      tick: (s) =>
        console.log(`  … bench/${plan.name}.ts running for ${s.toFixed(0)} s (${elapsed()} s into the run)`),
    },
  );
  runs.push(run);
  console.log(
    `=== bench/${plan.name}.ts ${run.status} in ${run.seconds} s${run.detail ? ` (${run.detail})` : ''}`,
  );
}

const { notMet } = writeSummary({ dir: join(here, 'results'), runs, command, startedAt, loadBefore });
// A target not met is a finding, not a failure of the run; a bench that failed or timed out is.
const broken = runs.filter((r) => r.status === 'failed' || r.status === 'timed out').length;
console.log(`${notMet} target(s) not met; ${broken} bench(es) failed or timed out`);
process.exit(broken > 0 ? 1 : 0);
