import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEMS_READ_SCOPE } from '../../src/routes/exports.ts';
import {
  buildProbeApp,
  expectInvalidToken,
  expectProblem,
  idpEnv,
  passwordSignIn,
  startTestIdp,
  type TestIdp,
  testConfig,
} from '../support/index.ts';

const PASSWORD = 'correct horse battery staple';

/** A client-credentials access token from the IdP's real /oauth2/token (client_secret_basic). */
async function machineToken(idp: TestIdp, clientId: string, secret: string, scope?: string) {
  const res = await fetch(`${idp.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
  });
  const body = (await res.json()) as { access_token: string; token_type: string };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.access_token;
}

/** Machine principals (ADR 0135): scoped routes take them, user routes refuse them. */
describe('security: client-credentials tokens from the local IdP', () => {
  let idp: TestIdp;
  let app: FastifyInstance;
  let cognito: CognitoIdentityProviderClient;
  let user: { access: string; sub: string };
  let machine: string;

  async function signIn(email: string) {
    const { access } = await passwordSignIn(idp, email, PASSWORD);
    const sub = JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString()).sub as string;
    return { access, sub };
  }

  const call = (token: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  beforeAll(async () => {
    idp = await startTestIdp({
      users: [
        { email: 'owner@example.com', password: PASSWORD },
        { email: 'boss@example.com', password: PASSWORD, groups: ['admin'] },
      ],
    });
    cognito = new CognitoIdentityProviderClient({
      region: idp.pool.region,
      endpoint: idp.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    app = await buildProbeApp(testConfig(idpEnv(idp)));
    user = await signIn('owner@example.com');
    const m = idp.pool.clients.machine!;
    machine = await machineToken(idp, m.clientId, m.clientSecret!, ITEMS_READ_SCOPE);
  });
  afterAll(async () => {
    await app?.close();
    cognito?.destroy();
    await idp?.stop();
  });

  it('exports a user’s items to the machine client holding app-api/items.read', async () => {
    for (const title of ['first', 'second']) {
      expect((await call(user.access, '/api/v1/items', 'POST', { title })).statusCode).toBe(201);
    }
    const res = await call(machine, `/api/v1/exports/users/${user.sub}/items?limit=1`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.total).toBe(2);
    expect(page.items.map((i: { title: string }) => i.title)).toEqual(['second']);
    const next = await call(
      machine,
      `/api/v1/exports/users/${user.sub}/items?limit=1&cursor=${page.next_cursor}`,
    );
    expect(next.json().items.map((i: { title: string }) => i.title)).toEqual(['first']);
  });

  it('refuses the machine token on every route meant for people, with 403 insufficient_scope', async () => {
    for (const url of ['/api/v1/users/me', '/api/v1/items', '/api/v1/admin/users', '/probe/user']) {
      const res = await call(machine, url);
      expect(expectProblem(res, 403).detail).toBe(
        "This route needs a user's access token; client-credentials tokens are not accepted.",
      );
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
    }
    // Nor may it write an item anywhere.
    expectProblem(await call(machine, '/api/v1/items', 'POST', { title: 'x' }), 403);
  });

  it('refuses a user token without the scope on the export route (even an admin’s)', async () => {
    const admin = await signIn('boss@example.com');
    for (const token of [user.access, admin.access]) {
      const res = await call(token, `/api/v1/exports/users/${user.sub}/items`);
      expectProblem(res, 403);
      expect(res.headers['www-authenticate']).toContain(`scope="${ITEMS_READ_SCOPE}"`);
    }
  });

  it('refuses a machine token of a client the API was not configured with', async () => {
    const other = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: idp.pool.poolId,
        ClientName: 'other-machine',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: [ITEMS_READ_SCOPE],
      }),
    );
    const c = other.UserPoolClient!;
    const token = await machineToken(idp, c.ClientId!, c.ClientSecret!);
    expectInvalidToken(await call(token, `/api/v1/exports/users/${user.sub}/items`));
  });

  it('refuses a user token of a user client that is listed as a machine client', async () => {
    const env = idpEnv(idp);
    const backend = idp.pool.clients.backend!.clientId;
    const mixed = await buildProbeApp(
      testConfig({
        ...env,
        COGNITO_CLIENT_IDS: idp.pool.clients.web!.clientId,
        COGNITO_MACHINE_CLIENT_IDS: `${env.COGNITO_MACHINE_CLIENT_IDS},${backend}`,
        COGNITO_AUTH_CLIENT_ID: backend,
      }),
    );
    try {
      const res = await mixed.inject({
        url: '/probe/scope',
        headers: { authorization: `Bearer ${user.access}` },
      });
      expectInvalidToken(res);
    } finally {
      await mixed.close();
    }
  });

  it('rejects a bad path parameter before any lookup', async () => {
    expectProblem(await call(machine, '/api/v1/exports/users/not-a-uuid/items'), 400);
  });
});
