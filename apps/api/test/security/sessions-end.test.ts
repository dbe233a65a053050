/**
 * Sessions end when the user says so (issue 8, items 1–3 and 5; ADR 0070): password change and reset,
 * "sign out this session", "sign out everywhere", and a cut-off read from the IdP's clock. Real API,
 * real local IdP (through the AWS SDK), own Postgres database and Redis prefix. An attacker's view:
 * after each step, the other session's access token is tried at the API and its refresh token both
 * at the API and straight at the IdP.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { client, latestCode, NEW_PASSWORD } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';
import type { TestIdp } from '../support/index.ts';
import { api, claims, expectProblem, idpDirect, login, meStatus, type Who } from './session-support.ts';

const user = (name: string): Who & { name: string } => ({
  email: `ends-${name}@example.com`,
  password: `${name} password 123`,
  name,
});
const u = {
  changer: user('changer'),
  resetter: user('resetter'),
  revoker: user('revoker'),
  forgetful: user('forgetful'),
  leaver: user('leaver'),
  early: user('early'),
  late: user('late'),
  paused: user('paused'),
};
const admin = { ...user('admin'), groups: ['admin'] };
const badRefresh = 'The refresh token is invalid, expired or revoked.';

/** How far the IdP's clock runs ahead of the API's (negative: behind). */
let skewMs = 0;
let stack: RealStack;
let app: FastifyInstance;
let idp: TestIdp;
let direct: ReturnType<typeof idpDirect>;

beforeAll(async () => {
  stack = await startRealStack('sessions_end', {
    users: [...Object.values(u), admin],
    idpClock: () => Date.now() + skewMs,
  });
  ({ app, idp } = stack);
  direct = idpDirect(idp);
});
afterAll(async () => {
  direct?.close();
  await stack?.close();
});
afterEach(() => {
  skewMs = 0;
});

describe('item 1: a password change or reset ends every other session', () => {
  it('change-password: other sessions refused at the API and at the IdP; the caller gets fresh tokens', async () => {
    const a = await login(app, u.changer);
    const b = await login(app, u.changer);
    const res = await client(app).post(
      'change-password',
      { current_password: u.changer.password, new_password: NEW_PASSWORD },
      a.access_token,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as { message: string; tokens?: { access_token: string; refresh_token: string } };
    expect(body.message).toBe('The password has been changed; every other session has ended.');
    expect(body.tokens?.access_token).toEqual(expect.any(String));
    expect(claims(body.tokens!.access_token).origin_jti).not.toBe(claims(a.access_token).origin_jti);

    // The other device: access token refused here, refresh token dead here and at the IdP.
    expectProblem(await client(app).get('/users/me', b.access_token), 401);
    expectProblem(
      await client(app).post('refresh', { refresh_token: b.refresh_token, email: u.changer.email }),
      401,
      badRefresh,
    );
    expect(await direct.refresh(b)).toBe('NotAuthorizedException');
    // The caller's old token too; its fresh one works, and so does a new sign-in.
    expect(await meStatus(app, a.access_token)).toBe(401);
    expect(await meStatus(app, body.tokens!.access_token)).toBe(200);
    const again = await login(app, { email: u.changer.email, password: NEW_PASSWORD });
    expect(await meStatus(app, again.access_token)).toBe(200);
  });

  it('reset-password with a code: every session of the account ends, a new sign-in works at once', async () => {
    const b = await login(app, u.resetter);
    const c = client(app);
    expect(
      (await c.post('request-otp', { email: u.resetter.email, purpose: 'password_reset' })).statusCode,
    ).toBe(202);
    const code = await latestCode(idp, u.resetter.email, 'reset');
    const res = await c.post('reset-password', { email: u.resetter.email, code, new_password: NEW_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'The password has been changed; you can sign in with it.' });

    expectProblem(await client(app).get('/users/me', b.access_token), 401);
    expectProblem(
      await c.post('refresh', { refresh_token: b.refresh_token, email: u.resetter.email }),
      401,
      badRefresh,
    );
    expect(await direct.refresh(b)).toBe('NotAuthorizedException');
    const again = await login(app, { email: u.resetter.email, password: NEW_PASSWORD });
    expect(await meStatus(app, again.access_token)).toBe(200);
  });
});

describe('item 2: "sign out this session" ends it at the IdP too', () => {
  it('sign-out with the refresh token in the body: that refresh token is dead at the IdP; the other session lives', async () => {
    const a = await login(app, u.revoker);
    const b = await login(app, u.revoker);
    const res = await client(app).post('sign-out', { refresh_token: a.refresh_token }, a.access_token);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect(await direct.refresh(a)).toBe('NotAuthorizedException');
    expect(await meStatus(app, a.access_token)).toBe(401);
    expect(await meStatus(app, b.access_token)).toBe(200);
    expect(await direct.refresh(b)).toBe('ok');
  });

  it('sign-out without the refresh token: /auth/refresh refuses the session and kills its refresh token at the IdP', async () => {
    const a = await login(app, u.forgetful);
    expect((await client(app).post('sign-out', undefined, a.access_token)).statusCode).toBe(204);
    const refreshed = await client(app).post('refresh', {
      refresh_token: a.refresh_token,
      email: u.forgetful.email,
    });
    expectProblem(refreshed, 401, badRefresh);
    expect(refreshed.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await direct.refresh(a)).toBe('NotAuthorizedException');
  });
});

describe('item 3: "sign out everywhere" never reports a success it did not achieve', () => {
  it('sign-out-everywhere with a token whose own session the IdP already revoked still ends the other sessions', async () => {
    const a = await login(app, u.leaver);
    const b = await login(app, u.leaver);
    // The client revoked its refresh token at the IdP only (the API was not told): the IdP now
    // refuses GlobalSignOut with this access token, which the API still accepts.
    await direct.revoke(a);
    expect(await meStatus(app, a.access_token)).toBe(200);

    const res = await client(app).post('sign-out-everywhere', undefined, a.access_token);
    expect(res.statusCode, res.body).toBe(204);
    expect(await direct.refresh(b)).toBe('NotAuthorizedException');
    expectProblem(await client(app).get('/users/me', b.access_token), 401);
    expect(await meStatus(app, a.access_token)).toBe(401);
  });
});

describe('item 5: the cut-off is read from the IdP clock and is inclusive; no second-long holes', () => {
  it('IdP clock ahead of the API: a token the IdP minted just before "sign out everywhere" is refused', async () => {
    skewMs = 2_000;
    const other = await login(app, u.early);
    const mine = await login(app, u.early);
    expect((await client(app).post('sign-out-everywhere', undefined, mine.access_token)).statusCode).toBe(
      204,
    );
    expectProblem(await client(app).get('/users/me', other.access_token), 401);
    // A sign-in after the answer is never caught by the cut-off.
    expect(await meStatus(app, (await login(app, u.early)).access_token)).toBe(200);
  });

  it('IdP clock behind the API: a sign-in right after "sign out everywhere" is accepted', async () => {
    skewMs = -2_000;
    const mine = await login(app, u.late);
    expect((await client(app).post('sign-out-everywhere', undefined, mine.access_token)).statusCode).toBe(
      204,
    );
    expect(await meStatus(app, mine.access_token)).toBe(401);
    const again = await login(app, u.late);
    expect(await meStatus(app, again.access_token)).toBe(200);
  });

  it.each([
    ['the same clock', 0],
    ['an IdP clock behind the API', -2_000],
  ])(
    'a user disabled and re-enabled by an admin can sign in as soon as enable answers (%s)',
    async (_label, skew) => {
      skewMs = skew;
      const boss = await login(app, admin);
      const before = await login(app, u.paused);
      const username = String(claims(before.access_token).username);
      expect((await api(app, boss.access_token).post(`/admin/users/${username}/disable`)).statusCode).toBe(
        204,
      );
      expect(await meStatus(app, before.access_token)).toBe(401);
      expect((await api(app, boss.access_token).post(`/admin/users/${username}/enable`)).statusCode).toBe(
        204,
      );
      expect(await meStatus(app, before.access_token)).toBe(401);
      const after = await login(app, u.paused);
      expect(await meStatus(app, after.access_token)).toBe(200);
    },
  );
});
