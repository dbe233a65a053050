import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.ts';

/** apps/api/migrations: `NNNN_name.sql`, applied in file-name order, never edited once applied. */
export const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));

// Any constant works; it only has to be the same for every instance of this app.
const MIGRATION_LOCK_KEY = 7_301_946_221;
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new MigrationError(`migration file name must look like 0001_name.sql: ${file}`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({
      version: match[1]!,
      name: match[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const versions = new Set(migrations.map((m) => m.version));
  if (versions.size !== migrations.length) throw new MigrationError('two migration files share a version');
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction that first takes a transaction-scoped
 * advisory lock: two instances starting together serialise, and the second one sees the first one's
 * rows in schema_migrations and skips. A changed, already-applied file is refused (checksum).
 */
async function allApplied(db: Db, migrations: Migration[]): Promise<boolean> {
  const { rows } = await db.query<{ version: string; checksum: string }>(
    'select version, checksum from schema_migrations',
  );
  const checksums = new Map(rows.map((r) => [r.version, r.checksum]));
  return migrations.every((m) => checksums.get(m.version) === m.checksum);
}

export async function runMigrations(db: Db, dir = migrationsDir): Promise<string[]> {
  const migrations = await loadMigrations(dir);
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`create table if not exists schema_migrations (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
  });

  // Every start of an up-to-date database: one read instead of a locked transaction per migration
  // (a warm `npm start` on PGlite spent ~0.5 s CPU here). Applied rows never go away, so a complete,
  // matching set needs no lock; anything missing or changed takes the locked path below.
  if (await allApplied(db, migrations)) return [];

  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const { rows } = await tx.query<{ checksum: string }>(
        'select checksum from schema_migrations where version = $1',
        [migration.version],
      );
      const existing = rows[0];
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError(
            `migration ${migration.version}_${migration.name} changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (done) applied.push(`${migration.version}_${migration.name}`);
  }
  return applied;
}
