import type { Db } from './types.ts';

/**
 * The least-privilege login the API runs as on AWS (ADR 0087, docs/deployment.md): it reads and writes rows in
 * the application's tables and nothing else — no DDL, no other roles, no superuser power. The
 * migration task (connected as the master user) creates it or resets its password, then grants.
 */
export interface AppRole {
  readonly name: string;
  readonly password: string;
}

const roleName = /^[a-z_][a-z0-9_]{0,62}$/;

export async function ensureAppRole(db: Db, role: AppRole): Promise<void> {
  if (!roleName.test(role.name)) throw new Error(`invalid role name: ${role.name}`);
  await db.transaction(async (tx) => {
    // Utility statements take no parameters: the password travels as a transaction-local setting
    // and is quoted by format(%L) on the server, never spliced into SQL here.
    await tx.query("select set_config('app.role_password', $1, true)", [role.password]);
    await tx.exec(`do $$
      begin
        if not exists (select from pg_roles where rolname = '${role.name}') then
          execute format('create role %I login password %L', '${role.name}', current_setting('app.role_password'));
        else
          execute format('alter role %I with login password %L', '${role.name}', current_setting('app.role_password'));
        end if;
      end $$`);
    const grants = [
      `grant connect on database "${await currentDatabase(tx)}" to ${role.name}`,
      `grant usage on schema public to ${role.name}`,
      `grant select, insert, update, delete on all tables in schema public to ${role.name}`,
      `grant usage, select on all sequences in schema public to ${role.name}`,
      // Tables a later migration creates (as the same master user) are covered too.
      `alter default privileges in schema public grant select, insert, update, delete on tables to ${role.name}`,
      `alter default privileges in schema public grant usage, select on sequences to ${role.name}`,
    ];
    for (const sql of grants) await tx.exec(sql);
  });
}

async function currentDatabase(tx: Pick<Db, 'query'>): Promise<string> {
  const { rows } = await tx.query<{ name: string }>('select current_database() as name');
  return rows[0]?.name ?? '';
}
