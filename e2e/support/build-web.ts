/**
 * Builds apps/web once per test run when its dist/ is missing or older than its sources, so the
 * browser tests always exercise the current production bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(repoRoot, 'apps', 'web');
export const webDist = join(web, 'dist');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let n = s.mtimeMs;
  for (const e of readdirSync(path)) n = Math.max(n, newest(join(path, e)));
  return n;
}

let built = false;

export function ensureWebBuild(): string {
  if (built) return webDist;
  const index = join(webDist, 'index.html');
  const sources = Math.max(
    newest(join(web, 'src')),
    newest(join(web, 'index.html')),
    newest(join(web, 'vite.config.ts')),
    newest(join(repoRoot, 'packages', 'pool-definition', 'src')),
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    const vite = join(repoRoot, 'node_modules', '.bin', 'vite');
    // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    const r = spawnSync(vite, ['build', '--logLevel', 'warn'], {
      cwd: web,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error(`vite build of apps/web failed (exit ${r.status})`);
  }
  built = true;
  return webDist;
}
