import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CognitoIdentityProviderClient,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type MockOidcUser, type RunningMockOidc, startMockOidc } from '../src/federation/mock-oidc.ts';
import { claimsOf } from './helpers.ts';
import type { FormBrowser } from './oauth-helpers.ts';
import { startTriggerIdp, type TriggerIdp } from './triggers/harness.ts';

export const federatedCallback = 'http://localhost:3000/federated';

export const mockUsers: MockOidcUser[] = [
  { sub: '110000000000000000001', email: 'ada@mock-google.test', name: 'Ada Lovelace', givenName: 'Ada' },
  {
    sub: '110000000000000000002',
    email: 'grace@mock-google.test',
    name: 'Grace Hopper',
    emailVerified: false,
  },
  { sub: '110000000000000000003', email: 'alan@mock-google.test', name: 'Alan Turing' },
];

/**
 * The mock "Google" beside a running IdP, registered in `poolId` as the OIDC provider `MockGoogle`,
 * and a public code-flow client that offers it.
 */
export async function federationFixture(
  cognito: CognitoIdentityProviderClient,
  idpUrl: string,
  poolId: string,
  users: MockOidcUser[] = mockUsers,
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'mock-oidc-'));
  const mock = await startMockOidc({
    dataDir,
    users,
    clients: [
      {
        clientId: 'cognito-local',
        clientSecret: 'mock-secret',
        redirectUris: [`${idpUrl}/oauth2/idpresponse`],
      },
    ],
  });
  await cognito.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: 'MockGoogle',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'cognito-local',
        client_secret: 'mock-secret',
        authorize_scopes: 'openid email profile',
        oidc_issuer: mock.issuer,
        attributes_request_method: 'GET',
      },
      AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
    }),
  );
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'federated',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [federatedCallback],
      SupportedIdentityProviders: ['COGNITO', 'MockGoogle'],
    }),
  );
  return {
    mock,
    clientId: UserPoolClient!.ClientId!,
    async close() {
      await mock.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const authorizePath = (clientId: string, extra: Record<string, string> = {}) =>
  `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: federatedCallback, scope: 'openid email profile', ...extra })}`;

/**
 * From /oauth2/authorize?identity_provider=… through the mock provider's page (choosing `sub`) back
 * to the IdP's /oauth2/idpresponse; returns the IdP's final answer (the redirect to the app).
 */
export async function throughProvider(
  browser: FormBrowser,
  mock: RunningMockOidc,
  authorize: string,
  sub: string,
) {
  let res = await browser.get(authorize);
  if (res.status !== 302 || !res.location.startsWith(mock.issuer))
    throw new Error(`authorize answered ${res.status} ${res.location}`);
  for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 10; hops++) {
    const next = new URL(res.location, mock.issuer);
    if (next.pathname === '/oauth2/idpresponse') return browser.get(next.href);
    res = await browser.get(next.href);
    if (res.status === 200 && res.text.includes('choose a demo account')) {
      const action = /<form method="post" action="([^"]+)"/.exec(res.text)![1]!;
      res = await browser.post(new URL(action, mock.issuer).href, { sub });
    }
  }
  throw new Error(`the provider did not come back: ${res.status} ${res.location} ${res.text.slice(0, 200)}`);
}

/** The trigger harness's IdP (a fresh e-mail pool) with the mock provider and a client offering it. */
export async function startFederatedIdp(users: MockOidcUser[] = mockUsers) {
  const t = await startTriggerIdp();
  const fx = await federationFixture(t.cognito, t.idp.url, t.poolId, users);
  return {
    t,
    fx,
    async close() {
      await fx.close();
      await t.close();
    },
  };
}

/** Redeems the code in the app's callback URL; the ID token's claims and the raw tokens. */
export async function redeemCallback(t: TriggerIdp, clientId: string, location: string) {
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  const res = await fetch(`${t.idp.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: clientId,
      redirect_uri: federatedCallback,
    }),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  const tokens = (await res.json()) as { id_token: string; access_token: string };
  return { ...tokens, id: claimsOf(tokens.id_token) };
}

/** "Name: message" of the error a call rejects with (and a failure when it does not). */
export async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string };
    return `${e.name}: ${e.message}`;
  }
  throw new Error('expected a failure');
}
