/**
 * Issue 11: the backend login passes on NEW_PASSWORD_REQUIRED and the USER_AUTH choice
 * (SELECT_CHALLENGE) as steps answered at /auth/challenge (ADR 0141). The real API against the real
 * local IdP, bootstrapped from the shared pool definition (first factors PASSWORD and EMAIL_OTP);
 * codes read from the IdP's dev mailbox.
 */
import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCognitoClient } from '../../src/services/cognito/client.ts';
import type { TestIdp } from '../support/index.ts';
import { client, mailbox, uniqueEmail } from './helpers.ts';
import { type RealStack, startRealStack } from './real-stack.ts';

let stack: RealStack;
let idp: TestIdp;
let app: FastifyInstance;
let cognito: CognitoIdentityProviderClient;
const member = { email: 'steps-member@example.com', password: 'steps member password 1' };

beforeAll(async () => {
  stack = await startRealStack('steps', { users: [member] });
  ({ idp, app } = stack);
  cognito = createCognitoClient({ region: idp.pool.region, endpoint: idp.url });
});
afterAll(async () => {
  cognito?.destroy();
  await stack?.close();
});

async function invite(email: string, temporary: string) {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: idp.pool.poolId,
      Username: email,
      TemporaryPassword: temporary,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
}

const signInCode = async (email: string) =>
  (await mailbox(idp, email)).find((m) => (m.kind as string) === 'mfa')?.code;

describe('NEW_PASSWORD_REQUIRED through the backend login', () => {
  it('asks an invited user for a new password, refuses a weak one, then signs in with it', async () => {
    const c = client(app);
    const email = uniqueEmail('invited');
    await invite(email, 'temporary password 1');
    const res = await c.post('login', { email, password: 'temporary password 1' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/access_token|eyJ/);
    const step = res.json();
    expect(step).toMatchObject({ challenge_name: 'NEW_PASSWORD_REQUIRED', fields: ['new_password'] });

    const weak = await c.post('challenge', {
      email,
      challenge_name: 'NEW_PASSWORD_REQUIRED',
      session: step.session,
      new_password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().detail).toMatch(/at least 12 characters/);
    const missing = await c.post('challenge', {
      email,
      challenge_name: 'NEW_PASSWORD_REQUIRED',
      session: step.session,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/"new_password"/);

    const done = await c.post('challenge', {
      email,
      challenge_name: 'NEW_PASSWORD_REQUIRED',
      session: step.session,
      new_password: 'a password of my own 1',
    });
    expect(done.statusCode).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    expect((await c.get('/users/me', done.json().access_token)).statusCode).toBe(200);
    // The temporary password is gone; the chosen one signs in straight to tokens.
    expect((await c.post('login', { email, password: 'temporary password 1' })).statusCode).toBe(401);
    const again = await c.post('login', { email, password: 'a password of my own 1' });
    expect(again.json().token_type).toBe('Bearer');
  });
});

describe('choice-based sign-in (login without a password)', () => {
  it('offers the first factors, mails a code for EMAIL_OTP and turns it into tokens', async () => {
    const c = client(app);
    const res = await c.post('login', { email: member.email });
    expect(res.statusCode).toBe(200);
    const step = res.json();
    expect(step).toMatchObject({
      challenge_name: 'SELECT_CHALLENGE',
      fields: ['answer'],
      available_challenges: ['PASSWORD', 'EMAIL_OTP'],
    });
    const chosen = await c.post('challenge', {
      email: member.email,
      challenge_name: 'SELECT_CHALLENGE',
      session: step.session,
      answer: 'EMAIL_OTP',
    });
    expect(chosen.statusCode).toBe(200);
    const next = chosen.json();
    expect(next).toMatchObject({ challenge_name: 'EMAIL_OTP', fields: ['code'] });
    expect(next.code_sent_to).toMatch(/\*/);
    const code = await signInCode(member.email);
    expect(code).toMatch(/^\d{6,8}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await c.post('challenge', {
      email: member.email,
      challenge_name: 'EMAIL_OTP',
      session: next.session,
      code: wrong,
    });
    expect(refused.statusCode).toBe(401);
    const done = await c.post('challenge', {
      email: member.email,
      challenge_name: 'EMAIL_OTP',
      session: next.session,
      code,
    });
    expect(done.statusCode).toBe(200);
    expect((await c.get('/users/me', done.json().access_token)).statusCode).toBe(200);
  });

  it('answers PASSWORD with the password (SRP by the API), and a wrong one like login does', async () => {
    const c = client(app);
    const step = (await c.post('login', { email: member.email })).json();
    const base = { email: member.email, challenge_name: 'SELECT_CHALLENGE', session: step.session };
    const noPassword = await c.post('challenge', { ...base, answer: 'PASSWORD' });
    expect(noPassword.statusCode).toBe(400);
    expect(noPassword.json().detail).toMatch(/"password"/);
    const wrong = await c.post('challenge', { ...base, answer: 'PASSWORD', password: 'not the password 1' });
    expect(wrong.statusCode).toBe(401);
    const done = await c.post('challenge', { ...base, answer: 'PASSWORD', password: member.password });
    expect(done.statusCode).toBe(200);
    expect(done.json().token_type).toBe('Bearer');
  });

  it('answers an unknown e-mail exactly like a known one, and mails it nothing', async () => {
    const c = client(app);
    const stranger = uniqueEmail('nobody');
    const step = (await c.post('login', { email: stranger })).json();
    expect(step).toMatchObject({
      challenge_name: 'SELECT_CHALLENGE',
      available_challenges: ['PASSWORD', 'EMAIL_OTP'],
    });
    const chosen = await c.post('challenge', {
      email: stranger,
      challenge_name: 'SELECT_CHALLENGE',
      session: step.session,
      answer: 'EMAIL_OTP',
    });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({ challenge_name: 'EMAIL_OTP', fields: ['code'] });
    expect(await mailbox(idp, stranger)).toEqual([]);
    const refused = await c.post('challenge', {
      email: stranger,
      challenge_name: 'EMAIL_OTP',
      session: chosen.json().session,
      code: '123456',
    });
    expect(refused.statusCode).toBe(401);
  });
});
