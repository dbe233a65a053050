/**
 * The newest aws-amplify v6 in Chromium against the IdP's TLS listener: signInWithRedirect through the
 * managed login, the callback completing the code + PKCE exchange, tokens in the page, and signOut
 * redirecting through /logout. Amplify hard-codes `https://<oauth.domain>` for authorize, token and
 * logout, so this is what the TLS listener exists for (ADR 0136).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningIdp, startIdp } from '@app/idp';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyPage, startAmplifyPage } from '../support/amplify-page.ts';
import { CHROMIUM, launchBrowser } from '../support/browser.ts';

const password = 'correct horse battery';
const email = `amplify.${process.pid}.${Date.now()}@example.com`;
let idp: RunningIdp;
let dataDir: string;
let app: AmplifyPage;
let origin: string;
let browser: Browser;
let page: Page;
let clientId: string;

/** The app: one page loading a bundle of aws-amplify that exposes its calls on `window.amp`. */
async function startApp(): Promise<void> {
  app = await startAmplifyPage({
    title: 'amplify app',
    entry: `
        import { Amplify } from 'aws-amplify';
        import 'aws-amplify/auth/enable-oauth-listener';
        import { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut } from 'aws-amplify/auth';
        import { Hub } from 'aws-amplify/utils';
        window.ampEvents = [];
        Hub.listen('auth', ({ payload }) => window.ampEvents.push(payload.event));
        Amplify.configure({ Auth: { Cognito: window.ampConfig } });
        window.amp = { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut };`,
    config: () => ({
      userPoolId: idp.pool.poolId,
      userPoolClientId: clientId,
      userPoolEndpoint: idp.url,
      loginWith: {
        oauth: {
          domain: idp.tls!.domain,
          scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
          redirectSignIn: [`${origin}/`],
          redirectSignOut: [`${origin}/`],
          responseType: 'code',
        },
      },
    }),
  });
  origin = app.origin;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idp-amplify-'));
  await startApp();
  // The app's page calls https://<domain>/oauth2/token and RevokeToken cross-origin.
  idp = await startIdp({ dataDir, tls: {}, users: [{ email, password }], corsOrigins: [origin] });
  const cognito = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const created = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: idp.pool.poolId,
      ClientName: 'amplify-redirect',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'],
      CallbackURLs: [`${origin}/`],
      LogoutURLs: [`${origin}/`],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
    }),
  );
  cognito.destroy();
  clientId = created.UserPoolClient!.ClientId!;
  browser = await launchBrowser([`--ignore-certificate-errors-spki-list=${idp.tls!.spkiSha256}`]);
  const context = await browser.newContext();
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type AmplifyAuth = typeof import('aws-amplify/auth');
declare global {
  // What the app's bundle puts on the page's window, for page.evaluate.
  interface Window {
    amp: Pick<AmplifyAuth, 'fetchAuthSession' | 'getCurrentUser' | 'signInWithRedirect' | 'signOut'>;
    ampEvents: string[];
  }
}
/** The refresh_token grant at the token endpoint, as a public client. */
const refreshWith = (refreshToken: string) =>
  fetch(`${idp.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: clientId,
      refresh_token: refreshToken,
    }),
  });
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

describe(`aws-amplify v6 signInWithRedirect over the IdP's TLS listener (${CHROMIUM})`, () => {
  it('signs in through the managed login, completes the callback and signs out through /logout', async () => {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'amp' in window);
    await page.evaluate(() => window.amp.signInWithRedirect());

    // Amplify sent the browser to https://<domain>/oauth2/authorize, which shows the sign-in page.
    await page.waitForURL(`${idp.tls!.url}/login**`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // Back at the app with ?code=…; Amplify exchanges it (PKCE) at https://<domain>/oauth2/token.
    await page.waitForURL(`${origin}/**`);
    await page.waitForFunction(() => window.ampEvents?.includes('signInWithRedirect'));
    const session = await page.evaluate(async () => {
      const s = await window.amp.fetchAuthSession();
      return { access: String(s.tokens?.accessToken), id: String(s.tokens?.idToken) };
    });
    expect(claims(session.id).email).toBe(email);
    expect(claims(session.access)).toMatchObject({ client_id: clientId, token_use: 'access' });
    expect(claims(session.access).scope.split(' ').sort()).toEqual([
      'aws.cognito.signin.user.admin',
      'email',
      'openid',
    ]);
    expect(await page.evaluate(() => window.amp.getCurrentUser().then((u) => u.username))).toBe(
      claims(session.access).username,
    );
    expect(new URL(page.url()).searchParams.get('code')).toBeNull(); // Amplify cleans the URL

    const refreshToken = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.endsWith('.refreshToken'));
      return key ? localStorage.getItem(key) : null;
    });
    expect(refreshToken).toMatch(/./);
    expect((await refreshWith(refreshToken!)).status).toBe(200);

    // signOut: RevokeToken, then https://<domain>/logout?client_id&logout_uri, then back to the app.
    // /logout answers with a redirect, so the browser never commits it: watch the request instead.
    const leaving = page.waitForRequest((r) => r.url().startsWith(`${idp.tls!.url}/logout?`));
    void page.evaluate(() => window.amp.signOut()).catch(() => {});
    const logout = new URL((await leaving).url());
    expect(logout.searchParams.get('client_id')).toBe(clientId);
    expect(logout.searchParams.get('logout_uri')).toBe(`${origin}/`);
    await page.waitForURL(`${origin}/**`);
    await page.waitForFunction(() => 'amp' in window);
    expect(
      await page.evaluate(() =>
        window.amp.fetchAuthSession().then((s) => (s.tokens?.accessToken ? 'present' : null)),
      ),
    ).toBeNull();

    // The managed-login session ended too: a new sign-in shows the form again instead of returning at once.
    await page.evaluate(() => window.amp.signInWithRedirect());
    await page.waitForURL(`${idp.tls!.url}/login**`);
    expect(await page.getByLabel('Password').isVisible()).toBe(true);

    // The refresh token Amplify held was revoked by signOut.
    expect(await (await refreshWith(refreshToken!)).json()).toEqual({ error: 'invalid_grant' });
  });
});
