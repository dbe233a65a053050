/**
 * The production build of apps/web the browser tests serve. It goes to its own folder named by a
 * hash of the sources (under e2e/test-results/, gitignored), so a rebuild by anyone else — `npm
 * start`, the bundle report, another test file — never changes files under a running test, and an
 * unchanged app is built once. Built with NODE_ENV=production: Vitest sets NODE_ENV=test, which
 * would make Vite bundle React's development build.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(repoRoot, 'apps', 'web');
const buildsDir = join(repoRoot, 'e2e', 'test-results', 'web-builds');

const inputs = [
  join(web, 'src'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(web, 'build-defines.ts'),
  join(repoRoot, 'packages', 'pool-definition', 'src'),
  join(repoRoot, 'packages', 'api-contract', 'src'),
];

function fingerprint(): string {
  const hash = createHash('sha256');
  const walk = (path: string) => {
    const s = statSync(path);
    if (s.isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else {
      hash.update(`${relative(repoRoot, path)}\0${s.size}\0${s.mtimeMs}\n`);
    }
  };
  for (const input of inputs) if (existsSync(input)) walk(input);
  return hash.digest('hex').slice(0, 16);
}

let cached: string | undefined;

/** The folder holding a production build of the current sources (built now if needed). */
export function ensureWebBuild(): string {
  if (cached) return cached;
  const target = join(buildsDir, fingerprint());
  if (!existsSync(join(target, 'index.html'))) {
    mkdirSync(buildsDir, { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    const vite = join(repoRoot, 'node_modules', '.bin', 'vite');
    const r = spawnSync(vite, ['build', '--logLevel', 'warn', '--outDir', temp, '--emptyOutDir'], {
      cwd: web,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error(`vite build of apps/web failed (exit ${r.status})`);
    try {
      renameSync(temp, target);
    } catch {
      // Another process finished the same build first; use theirs.
      rmSync(temp, { recursive: true, force: true });
    }
    // Builds of older sources are no longer needed (keep any made in the last hour: a run may use them).
    for (const entry of readdirSync(buildsDir)) {
      const path = join(buildsDir, entry);
      if (path !== target && Date.now() - statSync(path).mtimeMs > 3_600_000)
        rmSync(path, { recursive: true, force: true });
    }
  }
  cached = target;
  return target;
}
