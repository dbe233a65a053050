/**
 * Managed login's "add a passkey" page (`/passkeys/add?client_id=…&redirect_uri=…`) in Chromium with
 * the DevTools virtual authenticator: it needs a managed-login session, creates the passkey with the
 * browser's WebAuthn prompt, stores it as CompleteWebAuthnRegistration would and returns to the app.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningIdp, startIdp } from '@app/idp';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, screenshots } from '../support/browser.ts';
import { addVirtualAuthenticator, allowPasskeys, sdkClientFor } from '../support/passkeys.ts';

const email = `passkey-add.${process.pid}.${Date.now()}@example.com`;
const password = 'correct horse battery';
// The app behind the callback URL: a real loopback page. (A made-up address on port 9 failed: Chromium
// refuses "unsafe" ports with ERR_UNSAFE_PORT when the page's own script navigates there.)
let app: Server;
let callback: string;
let idp: RunningIdp;
let dataDir: string;
let cognito: sdk.CognitoIdentityProviderClient;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let clientId: string;
/** The IdP on the passkeys' relying party id (`localhost` for a pool with a prefix domain). */
let base: string;

beforeAll(async () => {
  app = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<title>app</title>');
  });
  await new Promise<void>((listening) => app.listen(0, '127.0.0.1', listening));
  callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/app/callback`;
  dataDir = await mkdtemp(join(tmpdir(), 'idp-passkey-add-'));
  idp = await startIdp({ dataDir, users: [{ email, password }] });
  base = idp.url.replace('127.0.0.1', 'localhost');
  cognito = sdkClientFor(idp);
  await allowPasskeys(cognito, idp.pool.poolId);
  const client = await cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: idp.pool.poolId,
      ClientName: 'passkey add',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [callback],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  browser = await launchBrowser();
  // bypassCSP only so axe-core can be injected; the page's own script runs under its nonce either way.
  context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  await page.goto(`${base}/`);
  await addVirtualAuthenticator(context, page);
});
afterAll(async () => {
  await browser?.close();
  cognito?.destroy();
  await idp?.stop();
  app?.closeAllConnections();
  app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const addUrl = (redirectUri = callback) =>
  `${base}/passkeys/add?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri })}`;

async function passkeysOfUser() {
  const signedIn = await cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_AUTH',
      AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
    }),
  );
  const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
  return (await cognito.send(new sdk.ListWebAuthnCredentialsCommand({ AccessToken }))).Credentials ?? [];
}

describe('/passkeys/add in Chromium (virtual authenticator)', () => {
  it('refuses a redirect_uri the client does not have, without redirecting to it', async () => {
    await page.goto(addUrl('https://evil.example.com/'));
    expect(new URL(page.url()).pathname).toBe('/error');
    await page.getByText('redirect_mismatch').waitFor();
  });

  it('asks a browser without a managed-login session to sign in first', async () => {
    const res = await page.goto(addUrl());
    expect(res?.status()).toBe(401);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in first');
    expect(await passkeysOfUser()).toEqual([]);
  });

  it('signed in on the managed login, creates a passkey and goes back to the app', async () => {
    const authorize = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
    });
    await page.goto(`${base}/oauth2/authorize?${authorize}`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${callback}**`);

    await page.goto(addUrl());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Add a passkey');
    await screenshots(page, 'idp-passkey-add');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.waitForURL(callback);
    const stored = await passkeysOfUser();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.RelyingPartyId).toBe('localhost');
  });
});
