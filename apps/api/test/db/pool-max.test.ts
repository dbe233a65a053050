import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';

// The deploy's connection budget (infra/src/data/connection-budget.ts, ADR 0087) assumes one API
// process never holds more than DB_POOL_MAX server connections, however many requests wait.
describe('DB_POOL_MAX caps the server connections of one process (real Postgres)', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase('api_pool');
    db = await createDb({ db: { url: database.url, dataDir: 'unused', poolMax: 3 } });
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  it('twelve concurrent queries share three connections', async () => {
    const seen = await Promise.all(
      Array.from({ length: 12 }, () =>
        db.query<{ n: string }>(
          'SELECT pg_sleep(0.05), (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS n',
        ),
      ),
    );
    const counts = seen.map((r) => Number(r.rows[0]?.n));
    expect(Math.max(...counts)).toBe(3);
  });
});
