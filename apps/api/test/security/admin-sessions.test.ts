/**
 * Sessions end when an admin says so (issue 8, items 1 and 4; ADR 0070): group removal, disable,
 * delete and "set password" take effect at once, and the last enabled admin cannot be removed,
 * disabled or deleted. Real API, real local IdP, own Postgres database and Redis prefix.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, NEW_PASSWORD } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';
import { api, claims, expectProblem, idpDirect, login, meStatus, type Tokens } from './session-support.ts';

const person = (name: string, groups: string[] = []) => ({
  email: `adm-${name}@example.com`,
  password: `${name} password 123`,
  name,
  groups,
});
const root = person('root', ['admin']);
const mallory = person('mallory', ['admin']);
const dormant = person('dormant', ['admin']);
const victims = { disabled: person('disabled'), deleted: person('deleted'), reset: person('reset') };
const lastAdmin =
  'This is the last enabled admin: make another user admin before removing, disabling or deleting this one.';

let stack: RealStack;
let app: FastifyInstance;
let direct: ReturnType<typeof idpDirect>;
let boss: Tokens;
const usernameOf = (t: Tokens) => String(claims(t.access_token).username);

beforeAll(async () => {
  stack = await startRealStack('admin_sessions', {
    users: [root, mallory, dormant, ...Object.values(victims)],
  });
  app = stack.app;
  direct = idpDirect(stack.idp);
  boss = await login(app, root);
});
afterAll(async () => {
  direct?.close();
  await stack?.close();
});

describe('item 4: admin changes to a user take effect at once', () => {
  it('an admin removed from the admin group loses admin rights at once, old token and refresh token alike', async () => {
    const m = await login(app, mallory);
    expect((await api(app, m.access_token).get('/admin/users?limit=5')).statusCode).toBe(200);

    const removed = await api(app, boss.access_token).del(`/admin/users/${usernameOf(m)}/groups/admin`);
    expect(removed.statusCode, removed.body).toBe(204);

    // The review's attack: the ex-admin's still-unexpired token disabling the real admin.
    expectProblem(await api(app, m.access_token).post(`/admin/users/${usernameOf(boss)}/disable`), 401);
    expectProblem(await api(app, m.access_token).get('/admin/users?limit=5'), 401);
    expect(await direct.refresh(m)).toBe('NotAuthorizedException');
    expectProblem(
      await client(app).post('refresh', { refresh_token: m.refresh_token, email: mallory.email }),
      401,
    );
    // Signing in again gives a token without the group: 403 on admin routes, 200 elsewhere.
    const again = await login(app, mallory);
    expect(claims(again.access_token)['cognito:groups']).toBeUndefined();
    expectProblem(await api(app, again.access_token).get('/admin/users?limit=5'), 403);
    expect(await meStatus(app, again.access_token)).toBe(200);
    // The real admin is untouched.
    expect((await api(app, boss.access_token).get('/admin/users?limit=5')).statusCode).toBe(200);
  });

  it("disable refuses the user at once; delete refuses a deleted user's tokens at once", async () => {
    const d = await login(app, victims.disabled);
    expect((await api(app, boss.access_token).post(`/admin/users/${usernameOf(d)}/disable`)).statusCode).toBe(
      204,
    );
    expectProblem(await client(app).get('/users/me', d.access_token), 401);
    expect(await direct.refresh(d)).not.toBe('ok');

    const x = await login(app, victims.deleted);
    const deleted = await api(app, boss.access_token).del(`/admin/users/${usernameOf(x)}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await client(app).get('/users/me', x.access_token), 401);
    expectProblem(
      await client(app).post('refresh', { refresh_token: x.refresh_token, email: victims.deleted.email }),
      401,
    );
    expectProblem(
      await api(app, boss.access_token).get(`/admin/users/${usernameOf(x)}/groups`),
      404,
      'No such user.',
    );
    expectProblem(
      await api(app, boss.access_token).del(`/admin/users/${usernameOf(x)}`),
      404,
      'No such user.',
    );
  });

  it('the last enabled admin cannot be removed from the group, disabled or deleted (409); disabled admins do not count', async () => {
    // Disabling another admin is fine while an enabled admin remains.
    const dz = await login(app, dormant);
    expect(
      (await api(app, boss.access_token).post(`/admin/users/${usernameOf(dz)}/disable`)).statusCode,
    ).toBe(204);
    // Now root is the only enabled admin (mallory was removed above, dormant is disabled).
    const me = usernameOf(boss);
    expectProblem(await api(app, boss.access_token).del(`/admin/users/${me}/groups/admin`), 409, lastAdmin);
    expectProblem(await api(app, boss.access_token).post(`/admin/users/${me}/disable`), 409, lastAdmin);
    expectProblem(await api(app, boss.access_token).del(`/admin/users/${me}`), 409, lastAdmin);
    // Nothing happened: root is still an enabled admin with a working session.
    expect((await api(app, boss.access_token).get(`/admin/users/${me}/groups`)).json()).toMatchObject({
      groups: [expect.objectContaining({ group_name: 'admin' })],
    });
    expect((await api(app, boss.access_token).get('/admin/users?limit=5')).statusCode).toBe(200);
    // With a second enabled admin again, the guarded change goes through (the lock was released).
    expect((await api(app, boss.access_token).post(`/admin/users/${usernameOf(dz)}/enable`)).statusCode).toBe(
      204,
    );
    expect(
      (await api(app, boss.access_token).post(`/admin/users/${usernameOf(dz)}/disable`)).statusCode,
    ).toBe(204);
  });
});

describe('item 1: an admin setting a password ends every session of the user', () => {
  it('old tokens refused at the API, the refresh token dead at the IdP, the new password signs in at once', async () => {
    const old = await login(app, victims.reset);
    const path = `/admin/users/${usernameOf(old)}/password`;
    expectProblem(await api(app, boss.access_token).post(path, { password: 'short' }), 400, /at least/);
    const res = await api(app, boss.access_token).post(path, { password: NEW_PASSWORD, permanent: true });
    expect(res.statusCode, res.body).toBe(204);

    expectProblem(await client(app).get('/users/me', old.access_token), 401);
    expect(await direct.refresh(old)).toBe('NotAuthorizedException');
    expectProblem(
      await client(app).post('login', { email: victims.reset.email, password: victims.reset.password }),
      401,
    );
    const fresh = await login(app, { email: victims.reset.email, password: NEW_PASSWORD });
    expect(await meStatus(app, fresh.access_token)).toBe(200);
  });
});
