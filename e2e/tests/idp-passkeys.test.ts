/**
 * Passkeys with a real browser: Chromium's DevTools virtual authenticator (WebAuthn domain) creates
 * and uses a resident, user-verifying platform credential on a page at http://localhost (the RP id
 * the IdP uses for a pool with a prefix domain). The options come from StartWebAuthnRegistration and
 * the WEB_AUTHN challenge, the browser's JSON goes back to CompleteWebAuthnRegistration and
 * RespondToAuthChallenge, and the IdP verifies both with @simplewebauthn/server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningIdp, startIdp } from '@app/idp';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { addVirtualAuthenticator, allowPasskeys } from '../support/passkeys.ts';

const email = `passkey.${process.pid}.${Date.now()}@example.com`;
const password = 'correct horse battery';
let idp: RunningIdp;
let dataDir: string;
let cognito: sdk.CognitoIdentityProviderClient;
let browser: Browser;
let page: Page;
let clientId: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idp-passkeys-'));
  idp = await startIdp({ dataDir, users: [{ email, password }] });
  cognito = new sdk.CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await allowPasskeys(cognito, idp.pool.poolId);
  const client = await cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: idp.pool.poolId,
      ClientName: 'passkeys',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  // A page on the RP id's origin (the IdP's own start page; CSP does not govern DevTools evaluation).
  await page.goto(`${idp.url.replace('127.0.0.1', 'localhost')}/`);
  await addVirtualAuthenticator(context, page);
});
afterAll(async () => {
  await browser?.close();
  cognito?.destroy();
  await idp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** navigator.credentials.create/get in the page, from the JSON options, answering the JSON form. */
const inBrowser = (kind: 'create' | 'get', options: unknown) =>
  page.evaluate(
    async ({ kind, options }) => {
      const P = PublicKeyCredential as unknown as {
        parseCreationOptionsFromJSON(o: unknown): PublicKeyCredentialCreationOptions;
        parseRequestOptionsFromJSON(o: unknown): PublicKeyCredentialRequestOptions;
      };
      const credential =
        kind === 'create'
          ? await navigator.credentials.create({ publicKey: P.parseCreationOptionsFromJSON(options) })
          : await navigator.credentials.get({ publicKey: P.parseRequestOptionsFromJSON(options) });
      return (credential as unknown as { toJSON(): unknown }).toJSON();
    },
    { kind, options },
  );

describe('passkeys in Chromium (virtual authenticator)', () => {
  it('registers a passkey, then signs in with it and no password', async () => {
    const first = await cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
      }),
    );
    const AccessToken = first.AuthenticationResult!.AccessToken!;
    const start = await cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken }));
    const created = await inBrowser('create', start.CredentialCreationOptions);
    await cognito.send(
      new sdk.CompleteWebAuthnRegistrationCommand({ AccessToken, Credential: created as never }),
    );
    const listed = await cognito.send(new sdk.ListWebAuthnCredentialsCommand({ AccessToken }));
    expect(listed.Credentials).toHaveLength(1);
    expect(listed.Credentials![0]!.RelyingPartyId).toBe('localhost');

    const begin = await cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: email },
      }),
    );
    expect(begin.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(begin.AvailableChallenges).toContain('WEB_AUTHN');
    const chosen = await cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: begin.Session,
        ChallengeResponses: { USERNAME: email, ANSWER: 'WEB_AUTHN' },
      }),
    );
    expect(chosen.ChallengeName).toBe('WEB_AUTHN');
    const assertion = await inBrowser(
      'get',
      JSON.parse(chosen.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS!),
    );
    const done = await cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'WEB_AUTHN',
        Session: chosen.Session,
        ChallengeResponses: { USERNAME: email, CREDENTIAL: JSON.stringify(assertion) },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('signs in on the managed-login page with the passkey: e-mail, "Sign in with a passkey", back at the app with a code', async () => {
    // The app behind the callback URL: a stub page on loopback; the test reads the code from the URL.
    const app = createServer((_req, res) => res.end('<!doctype html><title>app</title>'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
    const client = await cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: idp.pool.poolId,
        ClientName: 'passkey pages',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        CallbackURLs: [callback],
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    await page
      .context()
      .route(`${callback}**`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<title>app</title>' }),
      );
    const query = new URLSearchParams({
      client_id: client.UserPoolClient!.ClientId!,
      response_type: 'code',
      redirect_uri: callback,
    });
    await page.goto(`${idp.url.replace('127.0.0.1', 'localhost')}/oauth2/authorize?${query}`);
    await page.getByLabel('E-mail address').fill(email);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    try {
      await page.waitForURL(`${callback}**`);
      expect(new URL(page.url()).searchParams.get('code')).toBeTruthy();
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });
});
