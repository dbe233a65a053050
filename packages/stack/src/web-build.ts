/**
 * The production build of apps/web that `npm start` and the browser tests serve. Each build goes
 * to its own folder named by a hash of the sources (node_modules/.cache/web-builds/<hash>), so a
 * rebuild by anyone else never changes files under a running server, and unchanged sources are
 * built once. Built with NODE_ENV=production whatever the caller's NODE_ENV (Vitest sets test,
 * which would bundle React's development build).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const web = join(repoRoot, 'apps', 'web');
const buildsDir = join(repoRoot, 'node_modules', '.cache', 'web-builds');

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

/** The build folder of the current sources, if it exists already (no build needed). */
export function currentWebBuild(): { dir: string; built: boolean } {
  const dir = join(buildsDir, fingerprint());
  return { dir, built: existsSync(join(dir, 'index.html')) };
}

const pending = new Map<string, Promise<string>>();

/**
 * The folder holding a production build of the current sources, built now if needed.
 * `run` starts the build process (npm start ties it to itself, ADR 0080); default: a plain spawn.
 */
export function ensureWebBuild(
  run: (vite: string, args: string[], cwd: string) => Promise<void> = spawnVite,
): Promise<string> {
  const { dir, built } = currentWebBuild();
  if (built) return Promise.resolve(dir);
  let build = pending.get(dir);
  if (!build) {
    build = buildInto(dir, run);
    pending.set(dir, build);
    build.catch(() => pending.delete(dir));
  }
  return build;
}

async function buildInto(target: string, run: (vite: string, args: string[], cwd: string) => Promise<void>) {
  mkdirSync(buildsDir, { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(vite, ['build', '--logLevel', 'warn', '--outDir', temp, '--emptyOutDir'], web);
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
  return target;
}

function spawnVite(vite: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [vite, ...args], {
      cwd,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`vite build of apps/web failed (exit ${code})`)),
    );
  });
}
