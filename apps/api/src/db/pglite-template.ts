/**
 * A fresh PGlite data folder starts as a copy of a cleanly initialised, empty cluster instead of
 * running initdb: initdb is most of PGlite's first start (~5 s of CPU on these machines: a second
 * WASM instance, the bootstrap, a tar round-trip), a copy is ~40 MB of files (ADR 0103). The
 * template is made once per PGlite build in the user's cache folder (private, 0700), written to a
 * temporary folder and renamed, so concurrent starts never see half of one. Local development and
 * tests only: production uses Postgres.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** The cache folder for this PGlite build, or undefined when it cannot be told (no template then). */
function templateDir(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    const wasm = join(dirname(main), 'pglite.wasm');
    const { size, mtimeMs } = statSync(wasm);
    const key = createHash('sha256').update(`${wasm}\0${size}\0${mtimeMs}`).digest('hex').slice(0, 16);
    const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return join(cache, 'cognito-stack', `pglite-template-${key}`);
  } catch {
    return undefined;
  }
}

async function makeTemplate(dir: string): Promise<void> {
  const parent = join(dir, '..');
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  // Half-made templates of processes killed while making one (an hour is far longer than initdb).
  for (const entry of readdirSync(parent)) {
    const path = join(parent, entry);
    if (entry.includes('.tmp-') && Date.now() - statSync(path).mtimeMs > 3_600_000)
      rmSync(path, { recursive: true, force: true });
  }
  const temp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const db = await PGlite.create(temp);
  await db.close(); // a clean shutdown: the copy starts without recovery
  try {
    renameSync(temp, dir);
  } catch {
    rmSync(temp, { recursive: true, force: true }); // another process made it first
  }
}

/**
 * Fills `location` (which has no cluster yet) from the template, making the template first if
 * needed. Returns false when no template can be used; PGlite then runs initdb itself.
 */
export async function seedFromTemplate(location: string): Promise<boolean> {
  if (process.env.PGLITE_TEMPLATE === 'off') return false;
  const dir = templateDir();
  if (!dir) return false;
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await makeTemplate(dir);
    cpSync(dir, location, { recursive: true });
    return true;
  } catch {
    rmSync(location, { recursive: true, force: true });
    mkdirSync(location, { recursive: true });
    return false;
  }
}
