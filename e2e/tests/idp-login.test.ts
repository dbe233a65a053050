/**
 * The IdP's managed-login pages in Chromium: sign-in with a wrong and a right password, the one-hour
 * session (a second authorize returns at once), sign-up with the mailed code, and the new-password step.
 * Each page passes the axe gate at phone and desktop widths.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningIdp, startIdp } from '@app/idp';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP, launchBrowser, screenshots } from '../support/browser.ts';

let callback: string;
let app: Server;
const password = 'correct horse battery';
const email = `hosted.${process.pid}.${Date.now()}@example.com`;
let idp: RunningIdp;
let dataDir: string;
let browser: Browser;
let clientId: string;
let cognito: CognitoIdentityProviderClient;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  // The app behind the callback URL: a stub page on loopback; the test reads the code from the URL.
  app = createServer((_req, res) => res.end('<!doctype html><title>app</title>'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
  dataDir = await mkdtemp(join(tmpdir(), 'idp-login-'));
  idp = await startIdp({ dataDir, users: [{ email, password, name: 'Hosted Hana' }] });
  cognito = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const created = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: idp.pool.poolId,
      ClientName: 'Hosted demo',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [callback],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  clientId = created.UserPoolClient!.ClientId!;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  cognito?.destroy();
  await idp?.stop();
  await new Promise((resolve) => app?.close(resolve));
  await rm(dataDir, { recursive: true, force: true });
});
beforeEach(async () => {
  await context?.close();
  // bypassCSP only so axe-core can be injected; the pages themselves run no scripts.
  context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
  context.setDefaultTimeout(30_000);
  // The app behind the callback URL: a stub page, so the test reads the code from the URL.
  await context.route(`${callback}**`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<title>app</title>' }),
  );
  page = await context.newPage();
});

const authorizeUrl = () =>
  `${idp.url}/oauth2/authorize?${new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: callback,
    scope: 'openid email',
    state: 'st-1',
  })}`;

async function mailedCode(to: string) {
  const res = await fetch(`${idp.url}/_dev/mailbox?to=${encodeURIComponent(to)}`);
  const { messages } = (await res.json()) as { messages: Array<{ kind: string; code: string }> };
  return messages.find((m) => m.kind === 'signup')!.code;
}

describe('managed login in Chromium', () => {
  it('signs in (after a wrong password) and comes back with a code; a second authorize skips the form', async () => {
    await page.goto(authorizeUrl());
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in');
    await screenshots(page, 'idp-login');

    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Incorrect username or password.');
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(email);
    await screenshots(page, 'idp-login-error');

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${callback}**`);
    const back = new URL(page.url());
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code')!;

    const tokens = await fetch(`${idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: callback,
      }),
    }).then((r) => r.json() as Promise<{ id_token: string }>);
    const id = JSON.parse(Buffer.from(tokens.id_token.split('.')[1]!, 'base64url').toString());
    expect(id.email).toBe(email);

    // The session cookie: straight back to the app with a new code.
    await page.goto(authorizeUrl());
    await page.waitForURL(`${callback}**`);
    expect(new URL(page.url()).searchParams.get('code')).not.toBe(code);
  });

  it('signs up, confirms with the mailed code and signs in', async () => {
    const newEmail = `signup.${process.pid}.${Date.now()}@example.com`;
    await page.goto(authorizeUrl());
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/signup');
    await screenshots(page, 'idp-signup');
    await page.getByLabel('E-mail address').fill(newEmail);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/^Password did not conform with policy/);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    await expect.poll(() => new URL(page.url()).pathname).toBe('/confirm');
    await screenshots(page, 'idp-confirm');
    await page.getByLabel('Code').fill(await mailedCode(newEmail));
    await page.getByRole('button', { name: 'Confirm' }).click();

    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByRole('status').textContent()).toBe(
      'Your account is confirmed. Sign in to continue.',
    );
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(newEmail);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${callback}**`);
    expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
  });

  it('asks an invited user (temporary password) for a new password before returning', async () => {
    const invited = `invited.${process.pid}.${Date.now()}@example.com`;
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: idp.pool.poolId,
        Username: invited,
        TemporaryPassword: 'Temporary pass 1',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: invited }],
      }),
    );
    await page.goto(authorizeUrl());
    await page.getByLabel('E-mail address').fill(invited);
    await page.getByLabel('Password').fill('Temporary pass 1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Choose a new password');
    await screenshots(page, 'idp-new-password');
    await page.getByLabel('New password').fill(password);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.waitForURL(`${callback}**`);
    expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
  });
});
