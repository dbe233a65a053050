/**
 * The SPA's "Sign in with the hosted page" in Chromium (ADR 0140): authorization code + PKCE S256
 * with state and nonce against the local IdP's managed login, the callback keeping the session like
 * an SRP sign-in (the "Keep me signed in" choice included), the API accepting the token, and sign-out
 * revoking the refresh token and ending the managed login's own session through /logout.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshots } from '../support/browser.ts';
import { expectNoBrowserErrors, heading, refreshStatus, useStackAndBrowser } from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

const ana = { email: 'ana@example.com', password: 'ana has a long passphrase', name: 'Ana' };

let stack: Stack;
let browser: Browser;

useStackAndBrowser(
  (s, b) => {
    stack = s;
    browser = b;
  },
  { users: [ana] },
);

/** The library's tokens in one of the two stores ("Keep me signed in" off: this tab's sessionStorage). */
function tokensIn(page: Page, store: 'localStorage' | 'sessionStorage') {
  return page.evaluate((name) => {
    const s = window[name];
    const found: Record<string, string> = {};
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i)!;
      for (const kind of ['accessToken', 'refreshToken', 'idToken'])
        if (key.startsWith('CognitoIdentityServiceProvider.') && key.endsWith(`.${kind}`))
          found[kind] = s.getItem(key)!;
    }
    return found;
  }, store);
}

/** Clicks the hosted-page button and fills the managed login's form. */
async function signInOnHostedPage(page: Page) {
  await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
  await page.waitForURL(`${stack.idp.url}/login?**`);
  await page.getByLabel('E-mail address').fill(ana.email);
  await page.getByLabel('Password').fill(ana.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('sign in with the hosted page', () => {
  it('signs in through the managed login, calls the API with the token and signs out through /logout', async () => {
    const { page, context, errors } = await newPage(browser);
    await page.goto(`${stack.webUrl}/sign-in`);
    await heading(page, 'Sign in');
    await screenshots(page, 'hosted-sign-in-button');
    // The form's "Keep me signed in" choice travels through the hosted page.
    await page.getByLabel('Keep me signed in').uncheck();
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL(`${stack.idp.url}/login?**`);
    const authorize = new URL(page.url()).searchParams;
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authorize.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(authorize.get('redirect_uri')).toBe(`${new URL(stack.webUrl).origin}/auth/callback`);
    await page.getByLabel('E-mail address').fill(ana.email);
    await page.getByLabel('Password').fill(ana.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await heading(page, 'Your items');
    expect(new URL(page.url()).search).toBe('');
    const tab = await tokensIn(page, 'sessionStorage');
    expect(Object.keys(tab).sort()).toEqual(['accessToken', 'idToken', 'refreshToken']);
    expect(await tokensIn(page, 'localStorage')).toEqual({});
    const me = await stack.callApi('/api/v1/users/me', tab.accessToken!);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(ana.email);
    // The same session handling as SRP: a reload keeps the tab's session.
    await page.reload();
    await heading(page, 'Your items');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in');
    expect(page.url().startsWith(stack.webUrl)).toBe(true);
    expect(await tokensIn(page, 'sessionStorage')).toEqual({});
    expect(await refreshStatus(stack, tab.refreshToken!)).toBe(400);
    expect((await stack.callApi('/api/v1/users/me', tab.accessToken!)).status).toBe(401);

    // /logout ended the managed login's session too: the next hosted sign-in asks for the password.
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL(`${stack.idp.url}/login?**`);
    await page.getByLabel('Password').waitFor();
    expectNoBrowserErrors(errors);
    await context.close();
  });

  it('keeps the session on the device when "Keep me signed in" stays ticked', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${stack.webUrl}/sign-in`);
    await signInOnHostedPage(page);
    await heading(page, 'Your items');
    expect(Object.keys(await tokensIn(page, 'localStorage')).sort()).toEqual([
      'accessToken',
      'idToken',
      'refreshToken',
    ]);
    expect(await tokensIn(page, 'sessionStorage')).toEqual({});
    await context.close();
  });

  it('says plainly when the answer does not match this tab, was refused, or carries a code that is no longer valid', async () => {
    const { page, context } = await newPage(browser);
    // An answer nobody in this tab asked for (a forged or replayed callback).
    await page.goto(`${stack.webUrl}/auth/callback?code=abc&state=not-ours`);
    await heading(page, 'Sign-in did not complete');
    await page.getByText('does not belong to a sign-in started in this tab').waitFor();
    expect(new URL(page.url()).search).toBe('');
    await screenshots(page, 'hosted-sign-in-error');

    // Refused at the managed login (the user cancelled): the error comes back with our state.
    await page.goto(`${stack.webUrl}/sign-in`);
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL(`${stack.idp.url}/login?**`);
    const state = new URL(page.url()).searchParams.get('state')!;
    await page.goto(`${stack.webUrl}/auth/callback?error=access_denied&state=${state}`);
    await page.getByText('Signing in was cancelled or refused at the sign-in page.').waitFor();

    // A code already exchanged: the IdP answers invalid_grant, the page says to start again.
    await page.goto(`${stack.webUrl}/sign-in`);
    let callback = '';
    page.on('request', (r) => {
      if (r.url().includes('/auth/callback?code=')) callback ||= r.url();
    });
    await signInOnHostedPage(page);
    await heading(page, 'Your items');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in');
    await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
    await page.waitForURL(`${stack.idp.url}/login?**`);
    const pending = new URL(page.url()).searchParams.get('state')!;
    const spent = new URL(callback);
    spent.searchParams.set('state', pending);
    await page.goto(spent.href);
    await page.getByText('its code is no longer valid').waitFor();
    await context.close();
  });
});
