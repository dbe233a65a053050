/**
 * Data folders from before ADR 0184 hold the whole state in `state.json` (ADR 0016). On the first open
 * it becomes the first snapshot; the file is then renamed `state.json.migrated` (kept: nothing is
 * deleted). A crash before the rename leaves the file where it was and no snapshot, so the next start
 * migrates again.
 */
import { readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { allEntities } from './entities.ts';
import type { LogFiles } from './log-files.ts';
import { reviveState, type State } from './state.ts';

export class StateFileCorruptError extends Error {
  constructor(file: string, cause: unknown) {
    const what = cause instanceof SyntaxError ? 'not valid JSON' : 'not an IdP state';
    super(`the IdP state file ${file} is ${what} (${(cause as Error).message}); it was not modified`);
    this.name = 'StateFileCorruptError';
  }
}

export const legacyFile = (dataDir: string) => join(dataDir, 'state.json');

/** The state from `state.json`, now written as the store's first snapshot; undefined without one. */
export async function migrateStateFile(dataDir: string, files: LogFiles): Promise<State | undefined> {
  await removeStaleTempFiles(dataDir);
  const file = legacyFile(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let state: State;
  try {
    state = reviveState(JSON.parse(text));
  } catch (err) {
    throw new StateFileCorruptError(file, err);
  }
  await (await files.rotate(() => allEntities(state)))();
  await retireStateFile(dataDir);
  return state;
}

/** A `state.json` beside a store that already has its data (a crash right after migrating). */
export async function retireStateFile(dataDir: string) {
  await rename(legacyFile(dataDir), `${legacyFile(dataDir)}.migrated`).catch((err) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  });
}

/** Temp files the old store left by a crash between write and rename hold nothing state.json lacks. */
async function removeStaleTempFiles(dataDir: string) {
  for (const name of await readdir(dataDir)) {
    if (name.startsWith('.') && name.endsWith('.tmp')) await unlink(join(dataDir, name)).catch(() => {});
  }
}
