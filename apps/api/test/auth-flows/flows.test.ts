/**
 * Every backend auth flow end to end: the real API (buildApp), the real local IdP (apps/idp) through
 * the real AWS SDK, SRP computed server-side, codes read from the IdP's dev mailbox, Postgres, and
 * Redis for rate limits and revocation (variants.test.ts runs on PGlite and the in-process store).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestIdp } from '../support/index.ts';
import {
  client,
  latestCode,
  mailbox,
  NEW_PASSWORD,
  PASSWORD,
  PERSON,
  stable,
  uniqueEmail,
} from './helpers.ts';
import { type RealStack, startRealStack } from './real-stack.ts';

let stack: RealStack;
let idp: TestIdp;
let app: FastifyInstance;
const admin = { email: 'root-admin@example.com', password: 'admin password 123', groups: ['admin'] };
const member = { email: 'plain-member@example.com', password: 'member password 123', name: 'Plain Member' };

beforeAll(async () => {
  stack = await startRealStack('flows', { users: [admin, member] });
  ({ idp, app } = stack);
});
afterAll(() => stack?.close());

async function registerAndVerify(c: ReturnType<typeof client>, email: string, password = PASSWORD) {
  const reg = await c.post('register', {
    email,
    password,
    first_name: 'Flow',
    last_name: 'User',
    accept_terms: true,
  });
  expect(reg.statusCode).toBe(202);
  const code = await latestCode(idp, email, 'signup');
  const verified = await c.post('verify-otp', { email, code });
  expect(verified.statusCode).toBe(200);
}

async function login(c: ReturnType<typeof client>, email: string, password: string) {
  const res = await c.post('login', { email, password });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { access_token: string; id_token: string; refresh_token: string; expires_in: number };
}

describe('backend auth endpoints against the local IdP (client with a secret)', () => {
  it('register → code from the mailbox → verify → SRP login → /users/me → refresh → sign-out-everywhere refuses the old tokens', async () => {
    const c = client(app);
    const email = uniqueEmail('flow');
    await registerAndVerify(c, email);

    const res = await c.post('login', { email, password: PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const tokens = res.json();
    expect(tokens).toMatchObject({ token_type: 'Bearer' });
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const me = await c.get('/users/me', tokens.access_token);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email, name: 'Flow User', groups: [] });

    const refreshed = await c.post('refresh', { refresh_token: tokens.refresh_token, email });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const fresh = refreshed.json();
    expect(fresh.access_token).not.toBe(tokens.access_token);
    expect((await c.get('/users/me', fresh.access_token)).statusCode).toBe(200);

    const out = await c.post('sign-out-everywhere', undefined, fresh.access_token);
    expect(out.statusCode).toBe(204);
    // The revocation lives in the shared Redis (every instance refuses the token), keyed on ids.
    const revocations = await stack.store.client.keys(`${stack.redisPrefix}rv:*`);
    expect(revocations.length).toBeGreaterThanOrEqual(3);
    expect(revocations.join(' ')).not.toContain(fresh.access_token.slice(0, 20));
    for (const token of [fresh.access_token, tokens.access_token]) {
      const after = await c.get('/items', token);
      expect(after.statusCode).toBe(401);
      expect(after.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
    const refreshAfter = await c.post('refresh', { refresh_token: tokens.refresh_token, email });
    expect(refreshAfter.statusCode).toBe(401);
    expect(refreshAfter.json().detail).toBe('The refresh token is invalid, expired or revoked.');

    // Signing in again after signing out everywhere works (the cut-off is "issued strictly before").
    const again = await login(c, email, PASSWORD);
    expect((await c.get('/users/me', again.access_token)).statusCode).toBe(200);
  });

  it('forgot password → reset code from the mailbox → reset → login with the new password only', async () => {
    const c = client(app);
    const email = uniqueEmail('reset');
    await registerAndVerify(c, email);
    const asked = await c.post('request-otp', { email, purpose: 'password_reset' });
    expect(asked.statusCode).toBe(202);
    const code = await latestCode(idp, email, 'reset');

    const weak = await c.post('reset-password', { email, code, new_password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().detail).toMatch(/at least 12 characters/);

    const wrong = await c.post('reset-password', {
      email,
      code: code === '000000' ? '111111' : '000000',
      new_password: NEW_PASSWORD,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toBe('The code is invalid or has expired.');

    const reset = await c.post('reset-password', { email, code, new_password: NEW_PASSWORD });
    expect(reset.statusCode).toBe(200);
    await login(c, email, NEW_PASSWORD);
    expect((await c.post('login', { email, password: PASSWORD })).statusCode).toBe(401);
    // A used code is spent.
    expect((await c.post('reset-password', { email, code, new_password: PASSWORD })).statusCode).toBe(400);
  });

  it('change-password needs the current password, then only the new one signs in', async () => {
    const c = client(app);
    const email = uniqueEmail('change');
    await registerAndVerify(c, email);
    const tokens = await login(c, email, PASSWORD);

    expect(
      (await c.post('change-password', { current_password: PASSWORD, new_password: NEW_PASSWORD }))
        .statusCode,
    ).toBe(401);
    const bad = await c.post(
      'change-password',
      { current_password: 'not my password', new_password: NEW_PASSWORD },
      tokens.access_token,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toBe('The current password is incorrect.');
    const weak = await c.post(
      'change-password',
      { current_password: PASSWORD, new_password: 'tiny' },
      tokens.access_token,
    );
    expect(weak.statusCode).toBe(400);

    const ok = await c.post(
      'change-password',
      { current_password: PASSWORD, new_password: NEW_PASSWORD },
      tokens.access_token,
    );
    expect(ok.statusCode).toBe(200);
    await login(c, email, NEW_PASSWORD);
    expect((await c.post('login', { email, password: PASSWORD })).statusCode).toBe(401);
  });

  it('a wrong sign-up code, then an unverified login, then a resend that works', async () => {
    const c = client(app);
    const email = uniqueEmail('unverified');
    expect((await c.post('register', { email, password: PASSWORD, ...PERSON })).statusCode).toBe(202);
    const first = await latestCode(idp, email, 'signup');
    const wrong = await c.post('verify-otp', { email, code: first === '123456' ? '654321' : '123456' });
    expect(wrong.statusCode).toBe(400);

    const early = await c.post('login', { email, password: PASSWORD });
    expect(early.statusCode).toBe(403);
    expect(early.json().detail).toMatch(/not verified/);

    expect((await c.post('request-otp', { email, purpose: 'email_verification' })).statusCode).toBe(202);
    const messages = (await mailbox(idp, email)).filter((m) => m.kind === 'signup');
    expect(messages.length).toBe(2);
    expect((await c.post('verify-otp', { email, code: messages[0]!.code })).statusCode).toBe(200);
    await login(c, email, PASSWORD);
  });
});

describe('enumeration: known and unknown accounts get the same answer', () => {
  it('register of an existing address looks like a fresh one and sends nothing', async () => {
    const c = client(app);
    const fresh = await c.post('register', { email: uniqueEmail('new'), password: PASSWORD, ...PERSON });
    const before = (await mailbox(idp, member.email)).length;
    const existing = await c.post('register', { email: member.email, password: PASSWORD, ...PERSON });
    expect(stable(existing)).toEqual(stable(fresh));
    expect((await mailbox(idp, member.email)).length).toBe(before);
    // A weak password: same 400 whether or not the account exists.
    const weakKnown = await c.post('register', { email: member.email, password: 'short', ...PERSON });
    const weakUnknown = await c.post('register', {
      email: uniqueEmail('weak'),
      password: 'short',
      ...PERSON,
    });
    expect(weakKnown.statusCode).toBe(400);
    expect(stable(weakKnown)).toEqual(stable(weakUnknown));
    // A common password (the shared block list, ADR 0131) is refused here, before the IdP is asked.
    const common = await c.post('register', {
      email: uniqueEmail('common'),
      password: 'Qwerty123456',
      ...PERSON,
    });
    expect(common.statusCode).toBe(400);
    expect(common.json().detail).toMatch(/not be a commonly used password/);
  });

  it('login: wrong password, unknown user and unverified user with a wrong password answer alike', async () => {
    const c = client(app);
    const unverified = uniqueEmail('unv');
    await c.post('register', { email: unverified, password: PASSWORD, ...PERSON });
    const answers = await Promise.all([
      c.post('login', { email: member.email, password: 'wrong password 1' }),
      c.post('login', { email: uniqueEmail('ghost'), password: 'wrong password 1' }),
      c.post('login', { email: unverified, password: 'wrong password 1' }),
    ]);
    expect(answers[0]!.statusCode).toBe(401);
    expect(answers[0]!.json().detail).toBe('Incorrect e-mail or password.');
    for (const other of answers.slice(1)) expect(stable(other)).toEqual(stable(answers[0]!));
  });

  it('request-otp (both purposes) and reset-password answer alike for known and unknown users', async () => {
    const c = client(app);
    for (const purpose of ['email_verification', 'password_reset'] as const) {
      const known = await c.post('request-otp', { email: member.email, purpose });
      const unknown = await c.post('request-otp', { email: uniqueEmail('ghost'), purpose });
      expect(known.statusCode).toBe(202);
      expect(stable(known)).toEqual(stable(unknown));
    }
    const known = await c.post('reset-password', {
      email: member.email,
      code: '000000',
      new_password: NEW_PASSWORD,
    });
    const unknown = await c.post('reset-password', {
      email: uniqueEmail('ghost'),
      code: '000000',
      new_password: NEW_PASSWORD,
    });
    expect(known.statusCode).toBe(400);
    expect(stable(known)).toEqual(stable(unknown));
    const verifyKnown = await c.post('verify-otp', { email: member.email, code: '000000' });
    const verifyUnknown = await c.post('verify-otp', { email: uniqueEmail('ghost'), code: '000000' });
    expect(stable(verifyKnown)).toEqual(stable(verifyUnknown));
  });
});

describe('brute force', () => {
  it('login: the 11th attempt on one account within a minute is 429 with Retry-After, from any IP', async () => {
    const email = uniqueEmail('brute');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      // A different IP each time: the per-account limit is what stops a distributed guess.
      statuses.push((await client(app).post('login', { email, password: `guess number ${i}` })).statusCode);
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    const blocked = await client(app).post('login', { email, password: 'guess number 11' });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ status: 429 });
  });

  it('login: one IP spraying many accounts is stopped after 30 attempts', async () => {
    const c = client(app);
    let status = 0;
    let attempts = 0;
    while (attempts < 31) {
      attempts++;
      status = (await c.post('login', { email: uniqueEmail('spray'), password: 'spray password 1' }))
        .statusCode;
      if (status === 429) break;
    }
    expect(attempts).toBe(31);
    expect(status).toBe(429);
  });

  it('codes: guessing a sign-up code is cut off with 429 (our per-account limit or the IdP lockout)', async () => {
    const email = uniqueEmail('codes');
    await client(app).post('register', { email, password: PASSWORD, ...PERSON });
    const real = await latestCode(idp, email, 'signup');
    const guesses: number[] = [];
    for (let i = 0; guesses.length < 10; i++) {
      const guess = String(100000 + i);
      if (guess === real) continue;
      // A different IP each time: only the per-account limit can stop this.
      guesses.push((await client(app).post('verify-otp', { email, code: guess })).statusCode);
    }
    expect(guesses[0]).toBe(400);
    expect(guesses.every((s) => s === 400 || s === 429)).toBe(true);
    // Once over the per-account limit, even the right code is refused until the window ends.
    const blocked = await client(app).post('verify-otp', { email, code: real });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
  });
});

describe('admin routes against the pool', () => {
  it('admins list users and groups, manage membership, disable and enable; members get 403', async () => {
    const c = client(app);
    const adminTokens = await login(c, admin.email, admin.password);
    const memberTokens = await login(c, member.email, member.password);
    expect((await c.get('/admin/users', memberTokens.access_token)).statusCode).toBe(403);

    const page = await c.get('/admin/users?limit=1', adminTokens.access_token);
    expect(page.statusCode).toBe(200);
    expect(page.json().users).toHaveLength(1);
    expect(page.json().next_token).toEqual(expect.any(String));
    const filtered = await c.get('/admin/users?email=plain-mem', adminTokens.access_token);
    expect(filtered.json().users).toEqual([
      expect.objectContaining({
        email: member.email,
        name: 'Plain Member',
        status: 'CONFIRMED',
        enabled: true,
      }),
    ]);
    const username = filtered.json().users[0].username as string;

    const groups = await c.get('/admin/groups', adminTokens.access_token);
    expect(
      groups
        .json()
        .groups.map((g: { group_name: string }) => g.group_name)
        .sort(),
    ).toEqual(['admin', 'editor']);

    const add = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${username}/groups`,
      headers: { authorization: `Bearer ${adminTokens.access_token}` },
      payload: { group_name: 'editor' },
    });
    expect(add.statusCode).toBe(204);
    const mine = await c.get(`/admin/users/${username}/groups`, adminTokens.access_token);
    expect(mine.json().groups.map((g: { group_name: string }) => g.group_name)).toEqual(['editor']);
    const noGroup = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${username}/groups`,
      headers: { authorization: `Bearer ${adminTokens.access_token}` },
      payload: { group_name: 'no-such-group' },
    });
    expect(noGroup.statusCode).toBe(404);
    const remove = await app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/users/${username}/groups/editor`,
      headers: { authorization: `Bearer ${adminTokens.access_token}` },
    });
    expect(remove.statusCode).toBe(204);
    expect((await c.get(`/admin/users/${username}/groups`, adminTokens.access_token)).json().groups).toEqual(
      [],
    );
    expect((await c.get('/admin/users/nobody-at-all/groups', adminTokens.access_token)).statusCode).toBe(404);

    const adminPost = (path: string) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${username}/${path}`,
        headers: { authorization: `Bearer ${adminTokens.access_token}` },
      });
    expect((await adminPost('disable')).statusCode).toBe(204);
    // The member's still-unexpired token is refused at once, and they cannot sign in.
    expect((await c.get('/users/me', memberTokens.access_token)).statusCode).toBe(401);
    expect(
      (await client(app).post('login', { email: member.email, password: member.password })).statusCode,
    ).toBe(401);
    expect((await adminPost('enable')).statusCode).toBe(204);
    await login(client(app), member.email, member.password);
  });
});
