/**
 * `npm run db:migrate`: applies pending migrations from apps/api/migrations to DATABASE_URL, or to
 * PGlite in DATA_DIR/pglite. Safe to run from several instances at once (advisory lock).
 */
import { createDb, runMigrations } from '../db/index.ts';
import { dbConfigFromEnv, fail } from './args.ts';

async function main() {
  const config = dbConfigFromEnv();
  const db = await createDb(config);
  try {
    const applied = await runMigrations(db);
    console.log(
      applied.length > 0
        ? `applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'database is up to date',
      `(${db.kind})`,
    );
  } finally {
    await db.close();
  }
}

main().catch(fail);
