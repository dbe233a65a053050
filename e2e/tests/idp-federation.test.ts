/**
 * Federation in Chromium: the managed login's "Sign in with MockGoogle", the mock OIDC provider's
 * page, back through /oauth2/idpresponse to the web client's callback with a code whose tokens the
 * API accepts (GET /api/v1/users/me); then an existing account linked with AdminLinkProviderForUser
 * signs in through the provider as itself. ADR 0160, 0161.
 */
import {
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, screenshots } from '../support/browser.ts';
import { heading } from '../support/fixtures.ts';
import { type Stack, startE2eStack } from '../support/stack.ts';

const native = {
  email: `linked.${process.pid}@example.com`,
  password: 'correct horse battery',
  name: 'Native Nia',
};
let stack: Stack;
// The definition's web client, whose tokens the API accepts; its callback (on the stack's web origin)
// is answered by a stub, so the test redeems the code itself.
let callback: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  stack = await startE2eStack({ users: [native], mockOidc: true });
  callback = `${stack.webUrl}/auth/callback`;
  cognito = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: stack.idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  cognito?.destroy();
  await stack?.stop();
});
beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ viewport: DESKTOP });
  context.setDefaultTimeout(30_000);
  await context.route(`${callback}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>app</title>' }),
  );
  page = await context.newPage();
});

const authorizeUrl = (extra: Record<string, string> = {}) =>
  `${stack.idp.url}/oauth2/authorize?${new URLSearchParams({
    client_id: stack.idp.pool.clients.web!.clientId,
    response_type: 'code',
    redirect_uri: callback,
    // The admin scope lets the API read the profile from the IdP (GetUser), as with SRP sign-ins.
    scope: 'openid email profile aws.cognito.signin.user.admin',
    state: 'fed-1',
    ...extra,
  })}`;

/** Chooses the demo account on the mock provider's page and waits for the app's callback. */
async function chooseOnProvider(label: RegExp) {
  await page.getByRole('heading', { name: /Sign in to Mock Google/ }).waitFor();
  await page.getByRole('button', { name: label }).click();
  await page.waitForURL(`${callback}**`);
  const back = new URL(page.url());
  expect(back.searchParams.get('state')).toBe('fed-1');
  return back.searchParams.get('code')!;
}

async function tokensFor(code: string) {
  const res = await fetch(`${stack.idp.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: stack.idp.pool.clients.web!.clientId,
      code,
      redirect_uri: callback,
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { access_token: string; id_token: string };
}

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

describe('federated sign-in in Chromium', () => {
  it('signs in with MockGoogle from the login page; the API accepts the tokens', async () => {
    expect(stack.idp.pool.federation!.providers).toEqual(['MockGoogle']);
    await page.goto(authorizeUrl());
    await page.getByRole('button', { name: 'Sign in with MockGoogle' }).click();
    await screenshots(page, 'mock-oidc-sign-in');
    const tokens = await tokensFor(await chooseOnProvider(/Alex Garcia/));
    const id = claims(tokens.id_token);
    expect(id['cognito:username']).toBe('MockGoogle_104885322145500000001');
    expect(id.identities[0]).toMatchObject({
      providerName: 'MockGoogle',
      providerType: 'OIDC',
      primary: 'true',
    });

    const me = await stack.callApi('/api/v1/users/me', tokens.access_token);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: id.sub, email: 'alex@mock-google.test' });
  });

  it('an identity linked to an existing account signs in as that account (identity_provider= skips the page)', async () => {
    const sam = '104885322145500000002';
    const account = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: stack.idp.pool.poolId, Username: native.email }),
    );
    const nativeSub = account.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
    await cognito.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: stack.idp.pool.poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native.email },
        SourceUser: {
          ProviderName: 'MockGoogle',
          ProviderAttributeName: 'Cognito_Subject',
          ProviderAttributeValue: sam,
        },
      }),
    );
    await page.goto(authorizeUrl({ identity_provider: 'MockGoogle' }));
    const tokens = await tokensFor(await chooseOnProvider(/Sam Lee/));
    const id = claims(tokens.id_token);
    // The existing account, its mapped attributes refreshed from the provider at this sign-in, as
    // Cognito applies attribute mapping on every federated sign-in (ADR 0192).
    expect(id).toMatchObject({
      sub: nativeSub,
      'cognito:username': account.Username,
      email: 'sam@mock-google.test',
      name: 'Sam Lee',
    });
    expect(id.identities).toEqual([expect.objectContaining({ userId: sam, primary: 'false' })]);
    const me = await stack.callApi('/api/v1/users/me', tokens.access_token);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: nativeSub });
  });

  it('the SPA offers "Sign in with MockGoogle" and ends signed in to the app', async () => {
    await context.unroute(`${callback}**`);
    await page.goto(`${stack.webUrl}/sign-in`);
    await heading(page, 'Sign in');
    await page.getByRole('button', { name: 'Sign in with MockGoogle' }).click();
    await page.getByRole('heading', { name: /Sign in to Mock Google/ }).waitFor();
    await page.getByRole('button', { name: /Alex Garcia/ }).click();
    await heading(page, 'Your items');
  });
});
