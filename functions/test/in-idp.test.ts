import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPostgresDb, type Db, runMigrations } from '@app/api/db';
import { type RunningIdp, startIdp } from '@app/idp';
import { loadFunctionMap } from '@app/idp/triggers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../apps/api/test/support/postgres.ts';
import { closeDatabase } from '../src/db.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

/**
 * The project's own handlers, exactly as `npm start` runs them (functions/functions.json), in the
 * local IdP with the shared pool definition, against a real Postgres with the API's migrations.
 */
describe.skipIf(boto3Missing)('the functions in the local IdP: seed 003 through boto3', () => {
  let idp: RunningIdp;
  let dataDir: string;
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase('functions_test');
    db = createPostgresDb(database.url, { max: 2 });
    await runMigrations(db);
    process.env.DATABASE_URL = database.url;
    process.env.APP_NAME = 'Acme Items';
    dataDir = await mkdtemp(join(tmpdir(), 'functions-idp-'));
    idp = await startIdp({
      dataDir,
      functions: loadFunctionMap(join(import.meta.dirname, '../functions.json')),
    });
  });
  afterAll(async () => {
    await idp?.stop();
    await closeDatabase();
    await db?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a disposable address, mails the branded code, writes the row at confirmation, puts the plan in the token', async () => {
    const backend = idp.pool.clients.backend as { clientId: string; clientSecret: string };
    const email = `seed003.${process.pid}.${Date.now()}@example.com`;
    const run = await promisify(execFile)(
      'python3',
      [join(import.meta.dirname, 'fixtures', 'seed003_flow.py')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          IDP_URL: idp.url,
          CLIENT_ID: backend.clientId,
          CLIENT_SECRET: backend.clientSecret,
          EMAIL: email,
          PASSWORD: 'a long enough passphrase',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    const out = JSON.parse(run.stdout);
    expect(out.disposable).toBe(
      'UserLambdaValidationException: PreSignUp failed with error Disposable e-mail addresses cannot be used. Use a permanent address.',
    );
    expect(out.mail.subject).toBe('Confirm your Acme Items account');
    expect(out.mail.html).toContain(`>${out.mail.code}</p>`);
    expect(out.mail.body).toContain('Hello Test User,');
    const { rows } = await db.query<{ sub: string; email: string; name: string; plan: string }>(
      'select sub, email, name, plan from users where sub = $1',
      [out.userSub],
    );
    expect(rows).toEqual([{ sub: out.userSub, email, name: 'Test User', plan: 'free' }]);
    expect(claimsOf(out.accessToken).plan).toBe('free');
    // The claim follows the database: a new plan shows in the next token.
    await db.query(`update users set plan = 'pro' where sub = $1`, [out.userSub]);
    const refreshed = await fetch(`${idp.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken',
      },
      body: JSON.stringify({
        ClientId: backend.clientId,
        ClientSecret: backend.clientSecret,
        RefreshToken: out.refreshToken,
      }),
    }).then((r) => r.json() as Promise<{ AuthenticationResult: { AccessToken: string } }>);
    expect(claimsOf(refreshed.AuthenticationResult.AccessToken).plan).toBe('pro');
    const invocations = await fetch(`${idp.url}/_dev/triggers?format=json`).then(
      (r) => r.json() as Promise<{ invocations: Array<{ triggerSource: string; runs: string }> }>,
    );
    expect(new Set(invocations.invocations.map((i) => i.triggerSource))).toEqual(
      new Set([
        'PreSignUp_SignUp',
        'CustomMessage_SignUp',
        'PostConfirmation_ConfirmSignUp',
        'TokenGeneration_Authentication',
        'TokenGeneration_RefreshTokens',
      ]),
    );
    expect(invocations.invocations.every((i) => i.runs === 'module')).toBe(true);
  });
});
