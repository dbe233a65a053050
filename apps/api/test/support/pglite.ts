import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDb, type Db } from '../../src/db/index.ts';

/**
 * A PGlite database in a fresh temporary data folder, as `npm start` has one: it starts from the
 * initialised template (ADR 0103), where `memory://` runs initdb every time — seconds of CPU per
 * database, and past the hook timeout on a loaded 2-core machine. close() also removes the folder.
 */
export async function openTestPglite(): Promise<Db> {
  const dir = await mkdtemp(join(tmpdir(), 'api-pglite-'));
  const db = await createPgliteDb(dir);
  return {
    ...db,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
