import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { definition } from '@app/pool-definition';
import {
  DescribeUserPoolClientCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, startTestIdp, type TestIdp } from './helpers.ts';

// The shared pool definition's managed-login domain, resource server, OAuth settings and machine
// client, as the IdP creates them on a first start and publishes them in bootstrap.json.
let t: TestIdp;
let bootstrap: {
  url: string;
  pool: {
    poolId: string;
    clients: Record<string, { clientId: string; clientSecret?: string }>;
    oauth: { domain: string; tokenEndpoint: string; authorizationEndpoint: string; scopes: string[] };
  };
};
beforeAll(async () => {
  t = await startTestIdp();
  bootstrap = JSON.parse(await readFile(join(t.dataDir, 'bootstrap.json'), 'utf8'));
});
afterAll(() => t.close());

describe('OAuth settings from the pool definition', () => {
  it('publishes the domain, the endpoints, the custom scopes and the machine client in bootstrap.json', () => {
    expect(bootstrap.pool.oauth).toEqual({
      domain: definition.domainPrefix,
      authorizationEndpoint: `${t.idp.url}/oauth2/authorize`,
      tokenEndpoint: `${t.idp.url}/oauth2/token`,
      userInfoEndpoint: `${t.idp.url}/oauth2/userInfo`,
      revocationEndpoint: `${t.idp.url}/oauth2/revoke`,
      logoutEndpoint: `${t.idp.url}/logout`,
      scopes: ['app-api/items.read'],
    });
    expect(bootstrap.pool.clients.machine?.clientSecret).toMatch(/^[a-z0-9]{51}$/);
  });

  it('creates the domain, the resource server and the web client OAuth settings', async () => {
    const domain = await t.cognito.send(
      new DescribeUserPoolDomainCommand({ Domain: definition.domainPrefix }),
    );
    expect(domain.DomainDescription).toMatchObject({ UserPoolId: t.idp.pool.poolId, Status: 'ACTIVE' });
    const servers = await t.cognito.send(new ListResourceServersCommand({ UserPoolId: t.idp.pool.poolId }));
    expect(servers.ResourceServers!.map((r) => [r.Identifier, r.Scopes!.map((s) => s.ScopeName)])).toEqual([
      ['app-api', ['items.read']],
    ]);
    const web = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: t.idp.pool.poolId, ClientId: t.web.clientId }),
    );
    const webDef = definition.clients.find((c) => c.key === 'web')!;
    expect(web.UserPoolClient).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: webDef.callbackUrls,
      LogoutURLs: webDef.logoutUrls,
    });
    const backend = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: t.idp.pool.poolId, ClientId: t.backend.clientId }),
    );
    expect(backend.UserPoolClient!.AllowedOAuthFlowsUserPoolClient).toBe(false);
  });

  it('the machine client gets a client-credentials token with the custom scope', async () => {
    const machine = bootstrap.pool.clients.machine!;
    const res = await fetch(bootstrap.pool.oauth.tokenEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${machine.clientId}:${machine.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    const claims = claimsOf(((await res.json()) as { access_token: string }).access_token);
    expect(claims).toMatchObject({ sub: machine.clientId, scope: 'app-api/items.read', token_use: 'access' });
  });

  it("the web client's callback URL starts a managed login", async () => {
    const webDef = definition.clients.find((c) => c.key === 'web')!;
    const params = new URLSearchParams({
      client_id: t.web.clientId,
      response_type: 'code',
      redirect_uri: webDef.callbackUrls[0]!,
      scope: 'openid email',
    });
    const res = await fetch(`${bootstrap.pool.oauth.authorizationEndpoint}?${params}`, {
      redirect: 'manual',
    });
    expect(res.headers.get('location')).toMatch(/^\/login\?/);
  });
});

describe("the web app's own URLs (startIdp({ appUrls }), --callback-url / --logout-url)", () => {
  it("adds them to the hosted-UI client at every start, keeps the definition's, and refuses a bad one", async () => {
    const app = 'http://127.0.0.1:41234';
    const urls = { callbackUrls: [`${app}/auth/callback`], logoutUrls: [`${app}/`] };
    const first = await startTestIdp({ appUrls: urls });
    const describe = (x: TestIdp, clientId: string) =>
      x.cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: x.idp.pool.poolId, ClientId: clientId }),
      );
    const webDef = definition.clients.find((c) => c.key === 'web')!;
    const web = (await describe(first, first.web.clientId)).UserPoolClient!;
    expect(web.CallbackURLs).toEqual([...webDef.callbackUrls, `${app}/auth/callback`]);
    expect(web.LogoutURLs).toEqual([...webDef.logoutUrls, `${app}/`]);
    // The confidential client has no hosted UI: nothing is added to it.
    const backend = (await describe(first, first.backend.clientId)).UserPoolClient!;
    expect(backend.CallbackURLs ?? []).toEqual([]);
    // The command-line client (a native app, ADR 0197) keeps exactly its own loopback callback.
    const cliDef = definition.clients.find((c) => c.nativeApp)!;
    const cli = (await describe(first, first.idp.pool.clients[cliDef.key]!.clientId)).UserPoolClient!;
    expect(cli).toMatchObject({
      CallbackURLs: cliDef.callbackUrls,
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
    expect(cli.LogoutURLs ?? []).toEqual([]);
    expect(cli.ClientSecret).toBeUndefined();
    // The next start on the same data folder with another port adds that one, once.
    first.cognito.destroy();
    await first.idp.stop();
    const other = 'http://localhost:41235';
    const again = await startTestIdp({
      dataDir: first.dataDir,
      appUrls: { callbackUrls: [`${other}/auth/callback`, `${app}/auth/callback`] },
    });
    try {
      const after = (await describe(again, again.web.clientId)).UserPoolClient!;
      expect(after.CallbackURLs).toEqual([
        ...webDef.callbackUrls,
        `${app}/auth/callback`,
        `${other}/auth/callback`,
      ]);
    } finally {
      await again.close();
    }
    try {
      await expect(
        startTestIdp({ dataDir: first.dataDir, appUrls: { logoutUrls: ['http://app.example.com/'] } }),
      ).rejects.toThrow('must use HTTPS');
    } finally {
      await rm(first.dataDir, { recursive: true, force: true });
    }
  });
});
