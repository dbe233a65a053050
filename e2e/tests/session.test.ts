/**
 * Token life in the browser with 20-second tokens: refreshed ahead of expiry without the user
 * noticing. (A session revoked on another device is in account.test.ts, where tokens live an hour
 * so a routine refresh cannot race the revocation.)
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage } from '../support/browser.ts';
import {
  claims,
  expectNoBrowserErrors,
  heading,
  login,
  storedAccessToken,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

const LIFETIME = 20;
const kim = { email: 'kim@example.com', password: 'kim has a long passphrase', name: 'Kim' };

let stack: Stack;
let browser: Browser;

useStackAndBrowser(
  (s, b) => {
    stack = s;
    browser = b;
  },
  { users: [kim], tokenValiditySeconds: { access: LIFETIME, id: LIFETIME } },
);

describe('session life', () => {
  it('refreshes the token before it expires and keeps working after the old one has expired', async () => {
    const { page, context, errors } = await newPage(browser);
    await login(page, stack, kim);
    await heading(page, 'Your items');
    const first = (await storedAccessToken(page))!;
    const exp = claims(first).exp as number;
    expect(exp - (claims(first).iat as number)).toBe(LIFETIME);

    // Wait until the first token has expired (plus a little), without touching the page.
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 1500));
    const second = (await storedAccessToken(page))!;
    expect(second).not.toBe(first);
    expect(claims(second).sub).toBe(claims(first).sub);
    expect(claims(second).exp as number).toBeGreaterThan(Date.now() / 1000);

    // The API refuses the expired token but the page carries on with the refreshed one.
    expect((await stack.callApi('/api/v1/users/me', first)).status).toBe(401);
    await page.getByLabel('Title').fill('Made after a refresh');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByText('Made after a refresh', { exact: true }).waitFor();

    // And a reload with the stored session lands on the dashboard, not the sign-in page.
    await page.reload();
    await heading(page, 'Your items');
    expectNoBrowserErrors(errors);
    await context.close();
  });
});
