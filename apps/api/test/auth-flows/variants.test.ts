import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createPostgresDb, type Db } from '../../src/db/index.ts';
import { createCognitoClient } from '../../src/services/cognito/client.ts';
import {
  createTestDatabase,
  freePort,
  idpEnv,
  openTestPglite,
  startTestIdp,
  type TestDatabase,
  type TestIdp,
  testConfig,
} from '../support/index.ts';
import { client, latestCode, PASSWORD, PERSON, uniqueEmail } from './helpers.ts';

let idp: TestIdp;
const apps: FastifyInstance[] = [];
const dbs: Db[] = [];

const databases: TestDatabase[] = [];

/**
 * An API instance with its own database: Postgres, or PGlite for the embedded default's case. Each
 * instance has its own, so the second instance of the refresh test has never seen the user.
 */
async function appWith(env: Record<string, string>, store: 'postgres' | 'pglite' = 'postgres') {
  let db: Db;
  if (store === 'pglite') db = await openTestPglite();
  else {
    const database = await createTestDatabase('api_variants');
    databases.push(database);
    db = createPostgresDb(database.url);
  }
  const app = await buildApp(testConfig({ ...idpEnv(idp), ...env }), { db, migrate: true });
  dbs.push(db);
  apps.push(app);
  return app;
}

beforeAll(async () => {
  idp = await startTestIdp();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  await Promise.all(dbs.map((d) => d.close()));
  await Promise.all(databases.map((d) => d.drop()));
  await idp?.stop();
});

async function signUp(app: FastifyInstance, email: string) {
  const c = client(app);
  expect((await c.post('register', { email, password: PASSWORD, ...PERSON })).statusCode).toBe(202);
  const code = await latestCode(idp, email, 'signup');
  expect((await c.post('verify-otp', { email, code })).statusCode).toBe(200);
}

describe('public app client (no secret)', () => {
  it('registers, signs in with SRP, refreshes without an e-mail and logs out', async () => {
    const web = idp.pool.clients.web!;
    expect(web.clientSecret).toBeUndefined();
    const app = await appWith(
      { COGNITO_AUTH_CLIENT_ID: web.clientId, COGNITO_AUTH_CLIENT_SECRET: '' },
      'pglite',
    );
    const c = client(app);
    const email = uniqueEmail('public');
    await signUp(app, email);
    const tokens = (await c.post('login', { email, password: PASSWORD })).json();
    expect(tokens.access_token).toEqual(expect.any(String));
    const refreshed = await c.post('refresh', { refresh_token: tokens.refresh_token });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect((await c.post('sign-out-everywhere', undefined, refreshed.json().access_token)).statusCode).toBe(
      204,
    );
    expect((await c.get('/users/me', tokens.access_token)).statusCode).toBe(401);
    expect((await c.post('refresh', { refresh_token: tokens.refresh_token })).statusCode).toBe(401);
    // PGlite's WASM start and migrations take 20-50 s of wall time on a loaded 2-core machine.
  }, 150_000);
});

describe('confidential client (secret)', () => {
  it('signs in with USER_PASSWORD_AUTH when AUTH_FLOW=password', async () => {
    const app = await appWith({ AUTH_FLOW: 'password' });
    const email = uniqueEmail('pwflow');
    await signUp(app, email);
    const c = client(app);
    const ok = await c.post('login', { email, password: PASSWORD });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await c.get('/users/me', ok.json().access_token)).json()).toMatchObject({ email });
    expect((await c.post('login', { email, password: 'not the password' })).statusCode).toBe(401);
  });

  it('refresh needs the e-mail, and works on an instance that never saw the user (AdminGetUser)', async () => {
    const first = await appWith({});
    const second = await appWith({});
    const email = uniqueEmail('refresh');
    await signUp(first, email);
    const tokens = (await client(first).post('login', { email, password: PASSWORD })).json();

    const noEmail = await client(second).post('refresh', { refresh_token: tokens.refresh_token });
    expect(noEmail.statusCode).toBe(400);
    expect(noEmail.json().detail).toMatch(/send "email"/);
    const viaPool = await client(second).post('refresh', { refresh_token: tokens.refresh_token, email });
    expect(viaPool.statusCode, viaPool.body).toBe(200);
    // An e-mail the pool does not know: the same 401 as a bad token.
    const wrongUser = await client(second).post('refresh', {
      refresh_token: tokens.refresh_token,
      email: uniqueEmail('nobody'),
    });
    expect(wrongUser.statusCode).toBe(401);
    expect((await client(second).post('refresh', { refresh_token: 'garbage', email })).json().detail).toBe(
      wrongUser.json().detail,
    );
  });

  it('an admin-created user with a temporary password gets the NEW_PASSWORD_REQUIRED step (ADR 0141)', async () => {
    const app = await appWith({});
    const email = uniqueEmail('invited');
    const cognito = createCognitoClient({ region: idp.pool.region, endpoint: idp.url });
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: idp.pool.poolId,
        Username: email,
        TemporaryPassword: 'temporary password 1',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    cognito.destroy();
    const res = await client(app).post('login', { email, password: 'temporary password 1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ challenge_name: 'NEW_PASSWORD_REQUIRED', fields: ['new_password'] });
  });
});

describe('identity provider unreachable', () => {
  it('answers 503 problem+json without the upstream error, and does not crash', async () => {
    const port = await freePort();
    const app = await appWith({ COGNITO_ENDPOINT: `http://127.0.0.1:${port}` });
    const c = client(app);
    for (const [path, body] of [
      ['login', { email: 'a@example.com', password: PASSWORD }],
      ['register', { email: 'a@example.com', password: PASSWORD, ...PERSON }],
      ['request-otp', { email: 'a@example.com', purpose: 'password_reset' }],
    ] as const) {
      const res = await c.post(path, body);
      expect(res.statusCode, path).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().detail).toBe('The identity provider is unavailable; retry shortly.');
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    }
  });
});
