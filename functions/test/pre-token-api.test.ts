import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDb, type Db } from '@app/api/db';
import { type RunningIdp, startIdp } from '@app/idp';
import { loadFunctionMap } from '@app/idp/triggers';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../apps/api/src/app.ts';
import { testConfig } from '../../apps/api/test/support/config.ts';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

/**
 * `npm start` with the embedded PGlite (ADR 0189): the functions have no DATABASE_URL, only the API's
 * loopback /_internal/users and the start's key. The real API on PGlite, the project's handlers in the
 * local IdP, and the AWS SDK v3 signing up, confirming and signing in.
 */
describe('pre-token-generation through the API (PGlite)', () => {
  const token = randomBytes(32).toString('base64url');
  let dataDir: string;
  let db: Db;
  let api: FastifyInstance;
  let idp: RunningIdp;
  let cognito: sdk.CognitoIdentityProviderClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'functions-pglite-'));
    // A data folder as npm start has: PGlite starts from the template, not initdb (ADR 0103).
    db = await createPgliteDb(dataDir);
    api = await buildApp(testConfig({ INTERNAL_PROVISIONING_TOKEN: token }), { db, migrate: true });
    const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    // The environment packages/stack's functionsEnv() gives the handlers when there is no DATABASE_URL.
    delete process.env.DATABASE_URL;
    delete process.env.DATABASE_URL_SECRET_ARN;
    process.env.USER_PROVISIONING_URL = `${apiUrl}/_internal/users`;
    process.env.USER_PROVISIONING_TOKEN = token;
    idp = await startIdp({
      dataDir: join(dataDir, 'idp'),
      functions: loadFunctionMap(join(import.meta.dirname, '../functions.json')),
    });
    cognito = new sdk.CognitoIdentityProviderClient({
      endpoint: idp.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    process.env = saved;
    cognito?.destroy();
    await idp?.stop();
    await api?.close();
    await db?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a user whose plan is set gets it as the claim; one without a row gets "free"', async () => {
    const { clientId, clientSecret } = idp.pool.clients.backend as { clientId: string; clientSecret: string };
    const hash = (u: string) =>
      createHmac('sha256', clientSecret)
        .update(u + clientId)
        .digest('base64');
    const email = `plan.${process.pid}.${Date.now()}@example.com`;
    const password = 'a long enough passphrase';
    const signed = await cognito.send(
      new sdk.SignUpCommand({
        ClientId: clientId,
        SecretHash: hash(email),
        Username: email,
        Password: password,
      }),
    );
    await cognito.send(new sdk.AdminConfirmSignUpCommand({ UserPoolId: idp.pool.poolId, Username: email }));
    // PostConfirmation wrote the row through the same endpoint; the API's database now says "pro".
    const updated = await db.query(`update users set plan = 'pro' where sub = $1 returning sub`, [
      signed.UserSub,
    ]);
    expect(updated.rows).toHaveLength(1);
    const signIn = () =>
      cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: hash(email) },
        }),
      );
    const auth = await signIn();
    expect(claimsOf(auth.AuthenticationResult!.AccessToken!).plan).toBe('pro');
    const { invocations } = await fetch(`${idp.url}/_dev/triggers?format=json`).then(
      (r) =>
        r.json() as Promise<{
          invocations: Array<{
            triggerSource: string;
            event: { request: { userAttributes: { sub: string } } };
          }>;
        }>,
    );
    const preToken = invocations.filter((i) => i.triggerSource === 'TokenGeneration_Authentication');
    expect(preToken).toHaveLength(1);
    expect(preToken[0]!.event.request.userAttributes.sub).toBe(signed.UserSub);

    // The row gone (as for a user confirmed while the API was down): the default plan.
    await db.query('delete from users where sub = $1', [signed.UserSub]);
    expect(claimsOf((await signIn()).AuthenticationResult!.AccessToken!).plan).toBe('free');
  });
});
