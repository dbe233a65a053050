/**
 * MFA, choice-based sign-in and passkeys in the SPA (issue 11, ADR 0145) against the whole local
 * stack in Chromium: an authenticator app enrolled from the key the page shows (codes computed here
 * with RFC 6238), e-mail codes from the dev mailbox, MFA set-up during sign-in when the pool has MFA
 * ON, and a passkey made and used by Chromium's virtual authenticator. The page is opened on
 * http://localhost (the passkeys' RP id). New pages go through the axe gate and are photographed.
 */
import type * as sdk from '@aws-sdk/client-cognito-identity-provider';
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { launchBrowser, newPage, screenshots } from '../support/browser.ts';
import {
  expectNoBrowserErrors,
  heading,
  login,
  newUser,
  signUp,
  type TestUser,
} from '../support/fixtures.ts';
import {
  addVirtualAuthenticator,
  allowFirstFactors,
  allowUserAuth,
  sdkClientFor,
  setMfa,
} from '../support/passkeys.ts';
import { type Stack, startE2eStack } from '../support/stack.ts';

let stack: Stack;
let browser: Browser;
let cognito: sdk.CognitoIdentityProviderClient;

beforeAll(async () => {
  let started: Stack;
  [started, browser] = await Promise.all([startE2eStack(), launchBrowser()]);
  // The passkeys' relying party is "localhost": the SPA must be opened there, not on 127.0.0.1.
  stack = { ...started, webUrl: started.webUrl.replace('127.0.0.1', 'localhost') };
  const { pool } = stack.idp;
  cognito = sdkClientFor(stack.idp);
  // What the shared definition does not turn on yet (ADR 0145): e-mail MFA, passkeys and e-mail codes
  // as first factors, USER_AUTH on the web client.
  await setMfa(cognito, pool.poolId, 'OPTIONAL');
  await allowFirstFactors(cognito, pool.poolId, ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN']);
  await allowUserAuth(cognito, pool.poolId, pool.clients.web!.clientId);
});
afterAll(async () => {
  cognito?.destroy();
  await browser?.close();
  await stack?.stop();
});

/**
 * A page whose /config.json says what this test's pool now offers (a deployment whose definition
 * enables e-mail MFA and USER_AUTH writes the same through webConfig()).
 */
async function offeringPage() {
  const tp = await newPage(browser);
  await tp.context.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const json = { ...(await response.json()), signInOptions: { emailMfa: true, choiceSignIn: true } };
    await route.fulfill({ response, json });
  });
  return tp;
}

/** What an authenticator app shows `stepsAhead` periods from now for the key on the page. */
function totp(secret: string, stepsAhead = 0): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: Date.now() + stepsAhead * 30_000,
  });
}

async function newSignedInUser(page: Page, prefix: string): Promise<TestUser> {
  const user = newUser(prefix);
  await signUp(page, stack, user);
  await login(page, stack, user);
  await page.goto(`${stack.webUrl}/security`);
  await heading(page, 'Sign-in security');
  return user;
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await heading(page, 'Sign in');
}

async function enterPassword(page: Page, user: TestUser) {
  await page.getByLabel('E-mail', { exact: true }).fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('MFA and passkeys in the SPA', () => {
  it('enrols an authenticator app from the shown key, signs in with its code after a wrong one, removes it', async () => {
    const { page, errors } = await offeringPage();
    const user = await newSignedInUser(page, 'totp');
    await page.getByRole('region', { name: 'Passkeys' }).waitFor();
    await screenshots(page, 'security');
    const app = page.getByRole('region', { name: 'Authenticator app' });
    await app.getByRole('button', { name: 'Add an authenticator app' }).click();
    await app.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await app.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
    await screenshots(page, 'security-totp-setup');
    await app.getByLabel('Code from the app').fill(totp(secret));
    await app.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('Authenticator app turned on.').waitFor();

    await signOut(page);
    await enterPassword(page, user);
    await heading(page, 'Enter your app code');
    await screenshots(page, 'sign-in-totp');
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('alert').getByText('That code is not right. Check your authenticator app').waitFor();
    // The enrolment used this period's code once; the next period's is accepted (one step of drift).
    await page.getByLabel('Code from the app').fill(totp(secret, 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    await page.goto(`${stack.webUrl}/security`);
    await app.getByRole('button', { name: 'Remove…' }).click();
    await app.getByRole('button', { name: 'Remove the app' }).click();
    await page.getByText('Authenticator app removed.').waitFor();
    await signOut(page);
    await enterPassword(page, user);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expectNoBrowserErrors(errors);
  });

  it('codes by e-mail as the second step: the code from the dev mailbox signs in', async () => {
    const { page } = await offeringPage();
    const user = await newSignedInUser(page, 'mailcode');
    await page
      .getByRole('region', { name: 'Codes by e-mail' })
      .getByRole('button', { name: 'Use codes by e-mail' })
      .click();
    await page.getByText('Codes by e-mail turned on.').waitFor();
    await signOut(page);
    await enterPassword(page, user);
    await heading(page, 'Enter your sign-in code');
    await screenshots(page, 'sign-in-email-code');
    await page.getByLabel('Sign-in code').fill(await stack.readCode(user.email, 'mfa'));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('registers a passkey, signs in with it by "choose how to sign in", then removes it', async () => {
    const { page, context } = await offeringPage();
    const user = await newSignedInUser(page, 'passkey');
    await addVirtualAuthenticator(context, page);
    const keys = page.getByRole('region', { name: 'Passkeys' });
    await keys.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Passkey added.').waitFor();
    await keys.getByRole('button', { name: /^Remove Passkey/ }).waitFor();
    await screenshots(page, 'security-passkey');

    await signOut(page);
    await page.getByLabel('E-mail', { exact: true }).fill(user.email);
    await page.getByRole('button', { name: 'Use a passkey or an e-mailed code' }).click();
    await heading(page, 'Choose how to sign in');
    await screenshots(page, 'sign-in-choose');
    await page.getByRole('button', { name: 'Passkey', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    await page.goto(`${stack.webUrl}/security`);
    await keys.getByRole('button', { name: /^Remove Passkey/ }).click();
    await page.getByText('Passkey removed.').waitFor();
    await keys.getByText('No passkeys yet.').waitFor();
  });

  it('signs in with an e-mailed code and no password', async () => {
    const { page } = await offeringPage();
    const user = newUser('passwordless');
    await signUp(page, stack, user);
    await page.getByLabel('E-mail', { exact: true }).fill(user.email);
    await page.getByRole('button', { name: 'Use a passkey or an e-mailed code' }).click();
    await page.getByRole('button', { name: 'E-mail me a code' }).click();
    await heading(page, 'Enter your sign-in code');
    await page.getByLabel('Sign-in code').fill(await stack.readCode(user.email, 'mfa'));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('MFA ON: a user without a second step sets up an authenticator app while signing in', async () => {
    const { page } = await offeringPage();
    const user = newUser('forced');
    await signUp(page, stack, user);
    await setMfa(cognito, stack.idp.pool.poolId, 'ON');
    try {
      await enterPassword(page, user);
      await heading(page, 'Set up two-step sign-in');
      const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s/g, '');
      await screenshots(page, 'sign-in-mfa-setup');
      await page.getByLabel('Code from the app').fill(totp(secret));
      await page.getByRole('button', { name: 'Turn on and sign in' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
    } finally {
      await setMfa(cognito, stack.idp.pool.poolId, 'OPTIONAL');
    }
    await page.goto(`${stack.webUrl}/security`);
    await heading(page, 'Sign-in security');
    await page
      .getByRole('region', { name: 'How you sign in' })
      .getByText('After your password, you confirm it is you with a second step.')
      .waitFor();
  });
});
