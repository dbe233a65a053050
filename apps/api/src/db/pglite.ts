import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { toDbError } from './errors.ts';
import { seedFromTemplate } from './pglite-template.ts';
import type { Db, Queryable } from './types.ts';

/**
 * Embedded Postgres (WASM) in `<dataDir>/pglite`: the zero-setup default. `memory://` keeps it in memory
 * (tests). PGlite is a single connection, so its own transaction() serialises work for us.
 */
export async function createPgliteDb(dataDir: string | 'memory://'): Promise<Db> {
  let location: string | undefined;
  if (dataDir !== 'memory://') {
    location = join(dataDir, 'pglite');
    await mkdir(location, { recursive: true });
    // A new folder starts from a copy of an initialised cluster instead of initdb (ADR 0103).
    if (!existsSync(join(location, 'PG_VERSION'))) await seedFromTemplate(location);
  }
  const pglite = location ? await PGlite.create(location) : await PGlite.create();
  let closed = false;

  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      try {
        const result = await target.query<T>(sql, params);
        return { rows: result.rows };
      } catch (err) {
        throw toDbError(err);
      }
    },
    async exec(sql: string) {
      try {
        await target.exec(sql);
      } catch (err) {
        throw toDbError(err);
      }
    },
  });
  const { query, exec } = wrap(pglite);

  return {
    kind: 'pglite',
    query,
    exec,
    transaction(fn) {
      return pglite.transaction((tx) => fn(wrap(tx)));
    },
    async ping() {
      await query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
}
