/**
 * The admin console's API (issue 15, ADRs 0151, 0152): the users page with its count, filters and
 * last-seen column, inviting a user, "reset password", "sign out everywhere", and the audit list of
 * who did what. Real API, real local IdP (its dev mailbox), own Postgres database and Redis prefix.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, latestCode, mailbox } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';
import { api, claims, expectProblem, idpDirect, login, meStatus } from '../security/session-support.ts';

const person = (name: string, groups: string[] = []) => ({
  email: `con-${name}@example.com`,
  password: `${name} password 123`,
  name: `Person ${name}`,
  groups,
});
const root = person('root', ['admin']);
const member = person('member');
const resettable = person('resettable');
const roamer = person('roamer');

let stack: RealStack;
let app: FastifyInstance;
let direct: ReturnType<typeof idpDirect>;
let boss: string;

interface Page {
  users: Array<{ username: string; email: string; status: string; last_seen_at: string | null }>;
  next_token: string | null;
  estimated_total: number | null;
}
interface Events {
  events: Array<{ id: string; action: string; actor_email: string | null; target_email: string | null }>;
  next_before: string | null;
}

beforeAll(async () => {
  stack = await startRealStack('admin_console', { users: [root, member, resettable, roamer] });
  app = stack.app;
  direct = idpDirect(stack.idp);
  boss = (await login(app, root)).access_token;
});
afterAll(async () => {
  direct?.close();
  await stack?.close();
});

describe('GET /admin/users', () => {
  it('pages with a count on the first page, filters by one thing at a time, and says when the API last saw a user', async () => {
    const m = await login(app, member);
    expect(await meStatus(app, m.access_token)).toBe(200);
    const first = (await api(app, boss).get('/admin/users?limit=2')).json() as Page;
    expect(first.users).toHaveLength(2);
    expect(first.estimated_total).toBe(4);
    expect(first.next_token).toEqual(expect.any(String));
    const second = (
      await api(app, boss).get(`/admin/users?limit=2&next_token=${first.next_token}`)
    ).json() as Page;
    expect(second.estimated_total).toBeNull();
    expect([...first.users, ...second.users].map((u) => u.email).sort()).toEqual(
      [member, resettable, roamer, root].map((p) => p.email).sort(),
    );

    const byName = (await api(app, boss).get('/admin/users?name=Person%20mem')).json() as Page;
    expect(byName.users.map((u) => u.email)).toEqual([member.email]);
    expect(byName.users[0]!.last_seen_at).toEqual(expect.any(String));
    const confirmed = (await api(app, boss).get('/admin/users?status=CONFIRMED')).json() as Page;
    expect(confirmed.users).toHaveLength(4);
    expectProblem(await api(app, boss).get('/admin/users?status=UNCONFIRMED&name=x'), 400, /one of/);
  });
});

describe('POST /admin/users (invite)', () => {
  it('creates the user with a temporary password in the mailbox; a second invite is 409', async () => {
    const email = 'con-invited@example.com';
    const res = await api(app, boss).post('/admin/users', { email, name: 'Invited One' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      email,
      name: 'Invited One',
      status: 'FORCE_CHANGE_PASSWORD',
      enabled: true,
    });
    const temporary = await latestCode(stack.idp, email, 'invitation');
    expect(temporary.length).toBeGreaterThanOrEqual(8);
    // The temporary password is right, but only good for choosing a new one (ADR 0141's step).
    const step = await client(app).post('login', { email, password: temporary });
    expect(step.statusCode).toBe(200);
    expect(step.json()).toMatchObject({ challenge_name: 'NEW_PASSWORD_REQUIRED', fields: ['new_password'] });
    expectProblem(await client(app).post('login', { email, password: 'not the temporary one' }), 401);

    expectProblem(await api(app, boss).post('/admin/users', { email }), 409, /exists/);
    expectProblem(await api(app, boss).post('/admin/users', { email: 'not an address' }), 400);
  });
});

describe('reset password and sign out everywhere', () => {
  it('reset: the old token and password stop working and a code is mailed', async () => {
    const r = await login(app, resettable);
    const before = (await mailbox(stack.idp, resettable.email)).length;
    const res = await api(app, boss).post(`/admin/users/${claims(r.access_token).username}/password/reset`);
    expect(res.statusCode, res.body).toBe(204);
    expectProblem(await client(app).get('/users/me', r.access_token), 401);
    expect(await direct.refresh(r)).not.toBe('ok');
    expect((await mailbox(stack.idp, resettable.email)).length).toBe(before + 1);
    expect(await latestCode(stack.idp, resettable.email, 'reset')).toMatch(/^\d{6}$/);
  });

  it('sign out everywhere: the old token is refused at once, a new sign-in works', async () => {
    const r = await login(app, roamer);
    const res = await api(app, boss).post(`/admin/users/${claims(r.access_token).username}/sign-out`);
    expect(res.statusCode, res.body).toBe(204);
    expectProblem(await client(app).get('/users/me', r.access_token), 401);
    expect(await direct.refresh(r)).toBe('NotAuthorizedException');
    expect(await meStatus(app, (await login(app, roamer)).access_token)).toBe(200);
    expectProblem(await api(app, boss).post('/admin/users/nobody-here/sign-out'), 404, 'No such user.');
  });
});

describe('GET /admin/audit', () => {
  it('lists who did what to whom, newest first, in pages; members get 403', async () => {
    const first = (await api(app, boss).get('/admin/audit?limit=2')).json() as Events;
    expect(first.events.map((e) => e.action)).toEqual(['user.signed_out', 'user.password_reset']);
    expect(first.events[0]).toMatchObject({ actor_email: root.email, target_email: roamer.email });
    const rest = (
      await api(app, boss).get(`/admin/audit?limit=10&before=${first.next_before}`)
    ).json() as Events;
    expect(rest.events.map((e) => e.action)).toEqual(['user.created']);
    expect(rest.next_before).toBeNull();

    const m = await login(app, member);
    expectProblem(await api(app, m.access_token).get('/admin/audit'), 403);
  });
});
