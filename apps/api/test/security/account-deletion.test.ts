/**
 * Account deletion ends everything at once (issue 15, ADR 0150): `DELETE /users/me` and an admin's
 * `DELETE /admin/users/:u` delete the sign-in at the IdP, refuse every token captured before, remove
 * the profile row and items, and leave one audit event keyed by sub without the address.
 * Real API, real local IdP, own Postgres database and Redis prefix.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';
import { api, claims, expectProblem, idpDirect, login, meStatus } from './session-support.ts';

const person = (name: string, groups: string[] = []) => ({
  email: `del-${name}@example.com`,
  password: `${name} password 123`,
  name,
  groups,
});
const root = person('root', ['admin']);
const leaver = person('leaver');
const removed = person('removed');

let stack: RealStack;
let app: FastifyInstance;
let direct: ReturnType<typeof idpDirect>;

beforeAll(async () => {
  stack = await startRealStack('account_deletion', { users: [root, leaver, removed] });
  app = stack.app;
  direct = idpDirect(stack.idp);
});
afterAll(async () => {
  direct?.close();
  await stack?.close();
});

async function rowsOf(sub: string) {
  const users = await stack.db.query('select 1 from users where sub = $1', [sub]);
  const items = await stack.db.query('select 1 from items where owner_sub = $1', [sub]);
  return { users: users.rows.length, items: items.rows.length };
}

async function eventsAbout(sub: string) {
  const { rows } = await stack.db.query<{ actor_sub: string; action: string; target_email: string | null }>(
    'select actor_sub, action, target_email from audit_events where target_sub = $1 order by id',
    [sub],
  );
  return rows;
}

describe('DELETE /users/me', () => {
  it('refuses a token captured before the deletion at once, kills the refresh token and removes the data', async () => {
    const tokens = await login(app, leaver);
    const sub = String(claims(tokens.access_token).sub);
    const created = await api(app, tokens.access_token).post('/items', { title: 'mine' });
    expect(created.statusCode, created.body).toBe(201);
    expect(await meStatus(app, tokens.access_token)).toBe(200);
    expect(await rowsOf(sub)).toEqual({ users: 1, items: 1 });

    const res = await api(app, tokens.access_token).del('/users/me');
    expect(res.statusCode, res.body).toBe(204);

    // The captured access token is refused right after, though it has not expired.
    expectProblem(await client(app).get('/users/me', tokens.access_token), 401);
    expectProblem(await api(app, tokens.access_token).get('/items'), 401);
    expect(await direct.refresh(tokens)).not.toBe('ok');
    expectProblem(await client(app).post('login', { email: leaver.email, password: leaver.password }), 401);
    expect(await rowsOf(sub)).toEqual({ users: 0, items: 0 });
    expect(await eventsAbout(sub)).toEqual([
      { actor_sub: sub, action: 'account.deleted_by_self', target_email: null },
    ]);
  });

  it('refuses the last enabled admin (409) and changes nothing', async () => {
    const boss = await login(app, root);
    expectProblem(await api(app, boss.access_token).del('/users/me'), 409, /last enabled admin/);
    expect(await meStatus(app, boss.access_token)).toBe(200);
  });

  it('needs a token (401)', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/v1/users/me' });
    expectProblem(res, 401);
  });
});

describe('DELETE /admin/users/:username', () => {
  it("removes the user's data too, and earlier events about them lose the address", async () => {
    const boss = await login(app, root);
    const victim = await login(app, removed);
    const sub = String(claims(victim.access_token).sub);
    const username = String(claims(victim.access_token).username);
    await api(app, victim.access_token).post('/items', { title: 'theirs' });
    expect(await meStatus(app, victim.access_token)).toBe(200);
    // An earlier admin action kept the address as it was then.
    await stack.db.query(
      `insert into audit_events (actor_sub, actor_email, action, target_sub, target_email)
       values ($1, $2, 'user.disabled', $3, $4)`,
      [String(claims(boss.access_token).sub), root.email, sub, removed.email],
    );

    const res = await api(app, boss.access_token).del(`/admin/users/${username}`);
    expect(res.statusCode, res.body).toBe(204);
    expectProblem(await client(app).get('/users/me', victim.access_token), 401);
    expect(await rowsOf(sub)).toEqual({ users: 0, items: 0 });
    const bossSub = String(claims(boss.access_token).sub);
    expect(await eventsAbout(sub)).toEqual([
      { actor_sub: bossSub, action: 'user.disabled', target_email: null },
      { actor_sub: bossSub, action: 'user.deleted', target_email: null },
    ]);
  });
});
