import { createPgliteDb } from './pglite.ts';
import { createPostgresDb } from './postgres.ts';
import type { Db, DbConfig } from './types.ts';

export { DbUnavailableError, isConnectionError } from './errors.ts';
export { loadMigrations, MigrationError, migrationsDir, runMigrations } from './migrate.ts';
export { createPgliteDb } from './pglite.ts';
export { createPostgresDb } from './postgres.ts';
export type { Db, DbConfig, Queryable } from './types.ts';

/** Postgres when DATABASE_URL is set, otherwise PGlite in `<DATA_DIR>/pglite`. */
export async function createDb(config: DbConfig): Promise<Db> {
  if (config.db.url)
    return createPostgresDb(config.db.url, config.db.poolMax ? { max: config.db.poolMax } : {});
  return createPgliteDb(config.db.dataDir);
}
