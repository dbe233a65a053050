/**
 * Prints the production JavaScript each route downloads on a first visit, gzipped: the entry
 * chunk and everything it imports statically, plus the route's lazy page chunk and its static
 * imports (shared chunks counted once per route). Builds first unless `--no-build` is given.
 *
 * Also lists the chunks loaded on demand inside a page (e.g. the password-strength estimator), and
 * compares the shared entry with its budget: +20 % over the 111 kB gzip measured before issue 15's
 * design system (ADR 0130); `--check` exits 1 when the entry is over it.
 *
 *   npm run -w apps/web bundle-report [-- --no-build] [-- --json] [-- --check]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { routeModules } from '../src/route-modules.ts';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(webDir, 'dist');
const args = new Set(process.argv.slice(2));

function build() {
  const vite = join(webDir, '..', '..', 'node_modules', '.bin', 'vite');
  const r = spawnSync(vite, ['build', '--logLevel', 'warn'], {
    cwd: webDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

/** The chunk keys loaded with `key`: itself and its static imports, transitively. */
function closure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`manifest has no chunk "${key}"`);
  into.add(key);
  for (const dep of chunk.imports ?? []) closure(manifest, dep, into);
  return into;
}

const gzCache = new Map<string, { raw: number; gzip: number }>();
function size(file: string) {
  let s = gzCache.get(file);
  if (!s) {
    const buf = readFileSync(join(dist, file));
    s = { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    gzCache.set(file, s);
  }
  return s;
}

function sum(manifest: Manifest, keys: Iterable<string>) {
  let raw = 0;
  let gzip = 0;
  for (const k of keys) {
    const s = size(manifest[k]!.file);
    raw += s.raw;
    gzip += s.gzip;
  }
  return { raw, gzip };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** The shared entry before the design system (ADR 0054's figure), and the growth allowed over it. */
export const ENTRY_BASELINE_GZIP = 111 * 1024;
export const ENTRY_BUDGET_GZIP = Math.round(ENTRY_BASELINE_GZIP * 1.2);

function main() {
  if (!args.has('--no-build')) build();
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing; run without --no-build`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
  if (!entryKey) throw new Error('manifest has no entry chunk');
  const entry = closure(manifest, entryKey);
  const entrySize = sum(manifest, entry);

  const rows = Object.entries(routeModules).map(([route, module]) => {
    if (!manifest[module]) throw new Error(`route ${route}: ${module} is not a chunk; is it lazy-loaded?`);
    const own = [...closure(manifest, module)].filter((k) => !entry.has(k));
    const routeOnly = sum(manifest, own);
    return {
      route,
      chunk: manifest[module]!.file,
      routeGzip: routeOnly.gzip,
      totalGzip: entrySize.gzip + routeOnly.gzip,
      totalRaw: entrySize.raw + routeOnly.raw,
    };
  });

  const routeKeys = new Set<string>(Object.values(routeModules));
  const onDemand = Object.entries(manifest)
    .filter(([k, c]) => c.src && !c.isEntry && !routeKeys.has(k) && isDynamicOnly(manifest, k))
    .map(([k, c]) => ({ chunk: c.file, src: c.src!, gzip: sum(manifest, [k]).gzip }));
  const overBudget = entrySize.gzip > ENTRY_BUDGET_GZIP;

  if (args.has('--json')) {
    console.log(
      JSON.stringify(
        {
          entryGzip: entrySize.gzip,
          entryRaw: entrySize.raw,
          entryBudgetGzip: ENTRY_BUDGET_GZIP,
          routes: rows,
          onDemand,
        },
        null,
        2,
      ),
    );
  } else print(manifest[entryKey]!.file, entrySize, rows, onDemand);
  if (overBudget && args.has('--check')) {
    console.error(
      `bundle-report: the shared entry is over its budget (${kb(entrySize.gzip)} > ${kb(ENTRY_BUDGET_GZIP)})`,
    );
    process.exit(1);
  }
}

/** A chunk only ever imported dynamically (not part of any page's first load). */
function isDynamicOnly(manifest: Manifest, key: string): boolean {
  const chunks = Object.values(manifest);
  return chunks.some((c) => c.dynamicImports?.includes(key)) && !chunks.some((c) => c.imports?.includes(key));
}

function print(
  entryFile: string,
  entrySize: { raw: number; gzip: number },
  rows: Array<{ route: string; routeGzip: number; totalGzip: number; totalRaw: number }>,
  onDemand: Array<{ src: string; gzip: number }>,
) {
  console.log(`Production JavaScript per route (gzip -9; first visit = shared entry + the route's chunks)\n`);
  const growth = ((entrySize.gzip / ENTRY_BASELINE_GZIP - 1) * 100).toFixed(1);
  console.log(
    `shared entry (${entryFile} + static imports): ${kb(entrySize.gzip)} gzip, ${kb(entrySize.raw)} raw`,
  );
  console.log(
    `budget: ${kb(ENTRY_BUDGET_GZIP)} (baseline ${kb(ENTRY_BASELINE_GZIP)} +20 %); now ${growth} % over the baseline — ${entrySize.gzip > ENTRY_BUDGET_GZIP ? 'OVER BUDGET' : 'within budget'}\n`,
  );
  const header = ['route', 'route chunks (gzip)', 'first visit (gzip)', 'first visit (raw)'];
  const lines = rows.map((r) => [r.route, kb(r.routeGzip), kb(r.totalGzip), kb(r.totalRaw)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cols: string[]) =>
    cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  if (onDemand.length) {
    console.log('\nloaded on demand inside a page (not in any first visit):');
    for (const c of onDemand) console.log(`  ${c.src}: ${kb(c.gzip)} gzip`);
  }
}

try {
  main();
} catch (err) {
  console.error(`bundle-report: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
