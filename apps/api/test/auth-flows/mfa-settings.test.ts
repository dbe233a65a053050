/**
 * Issue 11 (ADR 0118, 0119): the signed-in user sets up and removes an authenticator app through the
 * API, and an admin resets a user's MFA, which ends every session of theirs. Real API, real local IdP;
 * codes computed here with RFC 6238 from the key the API hands out.
 */
import { SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, claims, expectProblem, idpDirect, login, meStatus } from '../security/session-support.ts';
import { client, totp } from './helpers.ts';
import { type RealStack, startRealStack } from './real-stack.ts';

const admin = { email: 'mfa-admin@example.com', password: 'mfa admin password 1', groups: ['admin'] };
const user = { email: 'mfa-owner@example.com', password: 'mfa owner password 1' };
let stack: RealStack;
let app: FastifyInstance;
let direct: ReturnType<typeof idpDirect>;

beforeAll(async () => {
  stack = await startRealStack('mfa_settings', { users: [admin, user] });
  app = stack.app;
  direct = idpDirect(stack.idp);
  await direct.cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: stack.idp.pool.poolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
});
afterAll(async () => {
  direct?.close();
  await stack?.close();
});

/** Enrols TOTP through the API; returns the key. The verify code is one step back (codes are single-use). */
async function enrol(accessToken: string): Promise<string> {
  const me = api(app, accessToken);
  const start = await me.post('/users/me/mfa/totp');
  expect(start.statusCode, start.body).toBe(200);
  const { secret_code, otpauth_uri } = start.json();
  expect(otpauth_uri).toContain(`secret=${secret_code}`);
  expect(otpauth_uri).toContain('mfa-owner%40example.com');
  const wrong = await me.post('/users/me/mfa/totp/verify', {
    code: totp(secret_code, 1) === '000000' ? '111111' : '000000',
  });
  expectProblem(wrong, 400, /does not match/);
  const ok = await me.post('/users/me/mfa/totp/verify', { code: totp(secret_code, 1) });
  expect(ok.statusCode, ok.body).toBe(200);
  expect(ok.json()).toEqual({ enabled: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA' });
  return secret_code;
}

describe('TOTP for the signed-in user', () => {
  it('enrols through the API, then sign-in asks for the code; removing it signs in with the password again', async () => {
    const first = await login(app, user);
    const secret = await enrol(first.access_token);

    const c = client(app);
    const step = (await c.post('login', user)).json();
    expect(step.challenge_name).toBe('SOFTWARE_TOKEN_MFA');
    const done = await c.post('challenge', {
      email: user.email,
      challenge_name: step.challenge_name,
      session: step.session,
      code: totp(secret),
    });
    expect(done.statusCode, done.body).toBe(200);

    const removed = await api(app, done.json().access_token).del('/users/me/mfa/totp');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ enabled: [], preferred: null });
    expect((await c.post('login', user)).json().access_token).toBeTruthy();
  });

  it('refuses the MFA routes without a token', async () => {
    expectProblem(await app.inject({ method: 'POST', url: '/api/v1/users/me/mfa/totp' }), 401);
    expectProblem(await app.inject({ method: 'DELETE', url: '/api/v1/users/me/mfa/totp' }), 401);
  });
});

describe('admin MFA reset', () => {
  it('turns every factor off and ends every session of the user; non-admins get 403', async () => {
    const before = await login(app, user);
    await enrol(before.access_token);
    const username = String(claims(before.access_token).username);

    expectProblem(await api(app, before.access_token).post(`/admin/users/${username}/mfa/reset`), 403);

    const boss = await login(app, admin);
    const reset = await api(app, boss.access_token).post(`/admin/users/${username}/mfa/reset`);
    expect(reset.statusCode, reset.body).toBe(204);

    // The session from before the reset is over, here and at the IdP.
    expect(await meStatus(app, before.access_token)).toBe(401);
    expect(await direct.refresh(before)).not.toBe('ok');
    // The password alone signs in again: no factor is left.
    const again = await login(app, user);
    expect(await meStatus(app, again.access_token)).toBe(200);
    expectProblem(await api(app, boss.access_token).post('/admin/users/nobody-here/mfa/reset'), 404);
  });
});
