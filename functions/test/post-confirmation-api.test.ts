import { randomBytes, randomUUID } from 'node:crypto';
import { createPostgresDb, type Db } from '@app/api/db';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../apps/api/src/app.ts';
import { testConfig } from '../../apps/api/test/support/config.ts';
import { createTestDatabase, type TestDatabase } from '../../apps/api/test/support/postgres.ts';
import { freePort } from '../../packages/stack/src/ports.ts';
import { handler } from '../src/post-confirmation.ts';

const eventFor = (sub: string, email: string) =>
  ({
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_test',
    userName: sub,
    callerContext: { awsSdkVersion: 'x', clientId: 'c' },
    triggerSource: 'PostConfirmation_ConfirmSignUp',
    request: { userAttributes: { sub, email, email_verified: 'true', name: 'Ada' } },
    response: {},
  }) as unknown as PostConfirmationTriggerEvent;

/**
 * npm start with the embedded PGlite (ADR 0155): no DATABASE_URL in the function's environment, the
 * API's /_internal/users and the start's key instead — here the real API on loopback, on Postgres.
 */
describe('post-confirmation through the API (USER_PROVISIONING_URL)', () => {
  const token = randomBytes(32).toString('base64url');
  let database: TestDatabase;
  let db: Db;
  let api: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('functions_provision');
    db = createPostgresDb(database.url, { max: 2 });
    api = await buildApp(testConfig({ INTERNAL_PROVISIONING_TOKEN: token }), { db, migrate: true });
    url = `${await api.listen({ host: '127.0.0.1', port: 0 })}/_internal/users`;
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
    await database?.drop();
  });

  const rowOf = async (sub: string) =>
    (await db.query<{ email: string; name: string }>('select email, name from users where sub = $1', [sub]))
      .rows;

  it('writes the row through the API at confirmation, and again harmlessly', async () => {
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('USER_PROVISIONING_URL', url);
    vi.stubEnv('USER_PROVISIONING_TOKEN', token);
    const sub = randomUUID();
    const event = eventFor(sub, 'ada@example.com');
    expect(await handler(event)).toBe(event);
    expect(await handler(event)).toBe(event);
    expect(await rowOf(sub)).toEqual([{ email: 'ada@example.com', name: 'Ada' }]);
  });

  it('an API it cannot reach (or a wrong key) never fails the confirmation; the log names the sub only', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.stubEnv('DATABASE_URL', '');
    vi.stubEnv('USER_PROVISIONING_TOKEN', token);
    vi.stubEnv('USER_PROVISIONING_URL', `http://127.0.0.1:${await freePort()}/_internal/users`);
    const sub = randomUUID();
    const event = eventFor(sub, 'grace@example.com');
    expect(await handler(event)).toBe(event);
    vi.stubEnv('USER_PROVISIONING_URL', url);
    vi.stubEnv('USER_PROVISIONING_TOKEN', `${token}x`);
    expect(await handler(event)).toBe(event);
    expect(await rowOf(sub)).toEqual([]);
    const lines = logged.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ msg: expect.stringContaining('first sign-in'), sub });
      expect(line).not.toContain('grace@example.com');
    }
    expect(lines[1]).toContain('the API answered 404');
  });
});
