import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDb,
  createPostgresDb,
  type Db,
  DbUnavailableError,
  loadMigrations,
  MigrationError,
  migrationsDir,
  runMigrations,
} from '../../src/db/index.ts';
import { toProblem } from '../../src/plugins/app/error-handler.ts';
import { openTestPglite } from '../support/pglite.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

let pgDb: TestDatabase;
let scratch: string;

beforeAll(async () => {
  pgDb = await createTestDatabase('apidata');
  scratch = await mkdtemp(join(tmpdir(), 'apidata-db-'));
});
afterAll(async () => {
  await pgDb?.drop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const engines: Array<[string, () => Promise<Db>]> = [
  ['pglite', () => openTestPglite()],
  ['postgres', async () => createPostgresDb(pgDb.url)],
];

describe.each(engines)('%s', (kind, open) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
    await db.exec('drop schema public cascade; create schema public');
  });
  afterAll(async () => db?.close());

  it('applies every migration once and records it', async () => {
    const expected = (await loadMigrations()).map((m) => `${m.version}_${m.name}`);
    expect(db.kind).toBe(kind);
    expect(await runMigrations(db)).toEqual(expected);
    expect(await runMigrations(db)).toEqual([]);
    const { rows } = await db.query<{ version: string }>(
      'select version from schema_migrations order by version',
    );
    expect(rows.map((r) => r.version)).toEqual(expected.map((e) => e.slice(0, 4)));
  });

  it('has the users/items schema with the owner index', async () => {
    await db.query("insert into users (sub, username) values ('s1', 'u1')");
    await db.query(
      "insert into items (id, owner_sub, title) values ('00000000-0000-4000-8000-000000000001', 's1', 't')",
    );
    const { rows } = await db.query<{ indexname: string }>(
      "select indexname from pg_indexes where tablename = 'items' and indexname = 'items_owner_created_idx'",
    );
    expect(rows).toHaveLength(1);
    await expect(
      db.query(
        "insert into items (id, owner_sub, title) values ('00000000-0000-4000-8000-000000000002', 'nobody', 't')",
      ),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('rolls a transaction back when its function throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into users (sub, username) values ('rolled-back', 'x')");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query("select 1 from users where sub = 'rolled-back'");
    expect(rows).toHaveLength(0);
    expect(
      await db.transaction(async (tx) => (await tx.query<{ n: number }>('select 41 + 1 as n')).rows[0]?.n),
    ).toBe(42);
  });

  it('refuses a migration edited after it was applied, and applies nothing of a failing one', async () => {
    const dir = await mkdtemp(join(scratch, `${kind}-`));
    await writeFile(join(dir, '0001_first.sql'), 'create table t_first (id int);');
    await db.exec('drop schema public cascade; create schema public');
    expect(await runMigrations(db, dir)).toEqual(['0001_first']);

    await writeFile(join(dir, '0001_first.sql'), 'create table t_first (id bigint);');
    await expect(runMigrations(db, dir)).rejects.toThrow(MigrationError);

    await writeFile(join(dir, '0001_first.sql'), 'create table t_first (id int);');
    await writeFile(
      join(dir, '0002_broken.sql'),
      'create table t_half (id int); select * from no_such_table;',
    );
    await expect(runMigrations(db, dir)).rejects.toMatchObject({ code: '42P01' });
    const { rows } = await db.query("select 1 from pg_tables where tablename = 't_half'");
    expect(rows).toHaveLength(0);
    const applied = await db.query('select version from schema_migrations');
    expect(applied.rows).toHaveLength(1);
  });
});

describe('migration files', () => {
  it('are named NNNN_name.sql, unique and ordered', async () => {
    const migrations = await loadMigrations(migrationsDir);
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort());
  });

  it('refuses a badly named file', async () => {
    const dir = await mkdtemp(join(scratch, 'badname-'));
    await writeFile(join(dir, 'create-users.sql'), 'select 1;');
    await expect(loadMigrations(dir)).rejects.toThrow(/0001_name\.sql/);
  });
});

describe('postgres: concurrency and outages', () => {
  it('two instances migrating at once apply each migration exactly once (advisory lock)', async () => {
    const fresh = await createTestDatabase('apidata');
    const a = createPostgresDb(fresh.url);
    const b = createPostgresDb(fresh.url);
    try {
      const [ra, rb] = await Promise.all([runMigrations(a), runMigrations(b)]);
      const all = (await loadMigrations()).map((m) => `${m.version}_${m.name}`);
      expect([...ra, ...rb].sort()).toEqual(all);
      const { rows } = await a.query('select version from schema_migrations');
      expect(rows).toHaveLength(all.length);
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });

  it('an unreachable server is a DbUnavailableError (answered 503), not a crash', async () => {
    const db = createPostgresDb('postgres://postgres@127.0.0.1:1/nothing', { connectionTimeoutMillis: 1000 });
    try {
      const err = await db.ping().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DbUnavailableError);
      // The one error handler answers it: 503, and nothing of the driver's reason.
      const problem = toProblem(err);
      expect(problem.status).toBe(503);
      expect(problem.detail).toBe('The database is unavailable; retry shortly.');
    } finally {
      await db.close();
    }
  });

  it('killed connections fail with DbUnavailableError, then the pool recovers', async () => {
    const db = createPostgresDb(pgDb.url, { max: 2 });
    try {
      await db.ping();
      // A long query in flight when its backend is terminated.
      const inFlight = db.query('select pg_sleep(5)').catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      expect(await pgDb.terminateConnections()).toBeGreaterThan(0);
      expect(await inFlight).toBeInstanceOf(DbUnavailableError);
      await db.ping();
      expect((await db.query<{ n: number }>('select 1 as n')).rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describe('createDb', () => {
  it('opens PGlite in <dataDir>/pglite when there is no DATABASE_URL, and keeps data across restarts', async () => {
    const dataDir = await mkdtemp(join(scratch, 'data-'));
    const first = await createDb({ db: { dataDir } });
    expect(first.kind).toBe('pglite');
    await runMigrations(first);
    await first.query("insert into users (sub, username) values ('kept', 'k')");
    await first.close();
    const second = await createDb({ db: { dataDir } });
    try {
      expect((await second.query("select sub from users where sub = 'kept'")).rows).toHaveLength(1);
      expect(await readFile(join(dataDir, 'pglite', 'PG_VERSION'), 'utf8')).toMatch(/\d+/);
    } finally {
      await second.close();
    }
  });

  it('uses Postgres when DATABASE_URL is set', async () => {
    const db = await createDb({ db: { url: pgDb.url, dataDir: '/nonexistent' } });
    try {
      expect(db.kind).toBe('postgres');
      await db.ping();
    } finally {
      await db.close();
    }
  });
});
