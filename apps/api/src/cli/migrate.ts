/**
 * `npm run db:migrate`: applies pending migrations from apps/api/migrations to DATABASE_URL, or to
 * PGlite in DATA_DIR/pglite. Safe to run from several instances at once (advisory lock).
 */
import { ensureAppRole } from '../db/app-role.ts';
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
    // On AWS the task connects as the master user and hands the API its own, smaller login.
    const name = process.env.APP_DB_USER?.trim();
    const password = process.env.APP_DB_PASSWORD;
    if (name && password && db.kind === 'postgres') {
      await ensureAppRole(db, { name, password });
      console.log(`role ${name}: login and table privileges granted`);
    }
  } finally {
    await db.close();
  }
}

main().catch(fail);
