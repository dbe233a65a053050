import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppRole } from '../../src/db/app-role.ts';
import { createDb, type Db, runMigrations } from '../../src/db/index.ts';
import { ADMIN_DATABASE_URL, createTestDatabase, type TestDatabase } from '../support/postgres.ts';

// The migration task creates the API's own login (infra: APP_DB_USER/APP_DB_PASSWORD); the API then
// connects with it instead of the RDS master user. Roles are cluster-wide: a random name, dropped after.
describe('the least-privilege application role (real Postgres)', () => {
  const role = `app_rw_${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let owner: Db;
  let app: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase('api_role');
    owner = await createDb({ db: { url: database.url, dataDir: 'unused' } });
    await runMigrations(owner);
    await ensureAppRole(owner, { name: role, password: 'first-password' });
    await ensureAppRole(owner, { name: role, password: 'second-password' }); // a re-run resets it
    const url = new URL(database.url);
    url.username = role;
    url.password = 'second-password';
    app = new pg.Client({ connectionString: url.toString() });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
    await owner?.close();
    await database?.drop();
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
  });

  it('is a plain login: no superuser, no role or database creation', async () => {
    const { rows } = await app.query(
      'select rolsuper, rolcreaterole, rolcreatedb, rolcanlogin from pg_roles where rolname = current_user',
    );
    expect(rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolcanlogin: true });
  });

  it('reads and writes the application tables', async () => {
    const sub = `sub-${randomBytes(4).toString('hex')}`;
    await app.query('insert into users (sub, username) values ($1, $2)', [sub, 'someone']);
    const { rows } = await app.query('select username from users where sub = $1', [sub]);
    expect(rows[0]?.username).toBe('someone');
    await app.query('delete from users where sub = $1', [sub]);
  });

  it('cannot change the schema or drop what the migrations made', async () => {
    await expect(app.query('create table intruder (x int)')).rejects.toMatchObject({ code: '42501' });
    await expect(app.query('drop table users')).rejects.toMatchObject({ code: '42501' });
    await expect(app.query('alter table users add column x int')).rejects.toMatchObject({ code: '42501' });
  });

  it('refuses a role name that is not a plain identifier', async () => {
    await expect(ensureAppRole(owner, { name: 'x; drop table users', password: 'p' })).rejects.toThrow(
      /invalid role name/,
    );
  });
});
