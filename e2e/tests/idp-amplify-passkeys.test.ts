/**
 * The newest aws-amplify v6 in Chromium against the IdP: USER_AUTH sign-in, associateWebAuthnCredential
 * (Chromium's DevTools virtual authenticator answers navigator.credentials.create), listWebAuthnCredentials,
 * then a password-free signIn with preferredChallenge WEB_AUTHN. The page is on http://localhost (the
 * RP id the IdP uses for a pool with a prefix domain); the IdP on 127.0.0.1 answers it with CORS.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningIdp, startIdp } from '@app/idp';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AmplifyPage, startAmplifyPage } from '../support/amplify-page.ts';
import { launchBrowser } from '../support/browser.ts';
import { addVirtualAuthenticator, allowPasskeys } from '../support/passkeys.ts';

const password = 'correct horse battery';
const email = `amplify.passkey.${process.pid}.${Date.now()}@example.com`;
let idp: RunningIdp;
let dataDir: string;
let app: AmplifyPage;
let origin: string;
let browser: Browser;
let page: Page;
let clientId: string;

/** One page loading a bundle of aws-amplify that exposes its auth calls on `window.ampAuth`. */
async function startApp(): Promise<void> {
  app = await startAmplifyPage({
    title: 'amplify passkeys',
    entry: `
        import { Amplify } from 'aws-amplify';
        import * as auth from 'aws-amplify/auth';
        Amplify.configure({ Auth: { Cognito: window.ampConfig } });
        window.ampAuth = auth;`,
    config: () => ({ userPoolId: idp.pool.poolId, userPoolClientId: clientId, userPoolEndpoint: idp.url }),
  });
  origin = app.origin;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idp-amplify-passkeys-'));
  await startApp();
  idp = await startIdp({ dataDir, users: [{ email, password }], corsOrigins: [origin] });
  const cognito = new sdk.CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await allowPasskeys(cognito, idp.pool.poolId);
  const client = await cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: idp.pool.poolId,
      ClientName: 'amplify-passkeys',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
    }),
  );
  cognito.destroy();
  clientId = client.UserPoolClient!.ClientId!;
  browser = await launchBrowser();
  const context = await browser.newContext();
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'ampAuth' in window);
  await addVirtualAuthenticator(context, page);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await idp?.stop();
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

declare global {
  interface Window {
    ampAuth: typeof import('aws-amplify/auth');
  }
}

describe('aws-amplify v6 passkeys in Chromium', () => {
  it('associateWebAuthnCredential, listWebAuthnCredentials, then signIn with preferredChallenge WEB_AUTHN', async () => {
    const out = await page.evaluate(
      async ({ email, password }) => {
        const amp = window.ampAuth;
        const first = await amp.signIn({
          username: email,
          password,
          options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' },
        });
        await amp.associateWebAuthnCredential();
        const listed = await amp.listWebAuthnCredentials();
        await amp.signOut();
        const second = await amp.signIn({
          username: email,
          options: { authFlowType: 'USER_AUTH', preferredChallenge: 'WEB_AUTHN' },
        });
        const session = await amp.fetchAuthSession();
        return {
          first: first.isSignedIn,
          credentials: listed.credentials.map((c) => c.relyingPartyId),
          second: second.isSignedIn,
          email: session.tokens?.idToken?.payload.email,
        };
      },
      { email, password },
    );
    expect(out).toEqual({ first: true, credentials: ['localhost'], second: true, email });
  });
});
