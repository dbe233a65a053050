/**
 * One user's life in the browser against the whole local stack: sign up with the mailed code,
 * sign in, items, reload, sign out everywhere (the API refuses the old token), password reset,
 * a password change that ends the other device's session.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, PHONE, screenshots, type TestPage } from '../support/browser.ts';
import {
  claims,
  expectNoBrowserErrors,
  heading,
  login,
  newUser,
  refreshStatus,
  signUp,
  storedAccessToken,
  storedToken,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

let stack: Stack;
let browser: Browser;
let tp: TestPage;
let page: Page;
const user = newUser('ann');

useStackAndBrowser(async (s, b) => {
  stack = s;
  browser = b;
  tp = await newPage(browser);
  page = tp.page;
});

describe('account life cycle in the browser', () => {
  it('signs up with live password hints, confirms the mailed code and signs in', async () => {
    await page.goto(`${stack.webUrl}/sign-up`);
    await heading(page, 'Create an account');
    await page.getByLabel('Password', { exact: true }).fill('too short');
    const lengthRule = page.locator('.password-hints li', { hasText: 'At least 12 characters' });
    await expect.poll(() => lengthRule.getAttribute('class')).toBe('unmet');
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await expect.poll(() => lengthRule.getAttribute('class')).toBe('met');
    await screenshots(page, 'sign-up');

    await signUp(page, stack, user, (p) => screenshots(p, 'confirm'));
    await expect(page.getByText('Your e-mail address is confirmed. Sign in.').isVisible()).resolves.toBe(
      true,
    );
    await screenshots(page, 'sign-in');

    // A wrong password is refused in plain words, and nothing is stored.
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill('not my password at all');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'The e-mail address or password is not right.',
    );
    expect(await storedAccessToken(page)).toBeNull();

    await login(page, stack, user);
    await heading(page, 'Your items');
    expect(await page.getByText(`Welcome, Test.`).isVisible()).toBe(true);
    const token = await storedAccessToken(page);
    expect(token).toBeTruthy();
    const me = await stack.callApi('/api/v1/users/me', token!);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(user.email);
  });

  it('creates, edits, completes, deletes and pages through items', async () => {
    const title = page.getByLabel('Title');
    for (const name of ['Buy milk', 'Call Bob']) {
      await title.fill(name);
      await page.getByRole('button', { name: 'Add item' }).click();
      await page.getByText(name, { exact: true }).waitFor();
    }
    await screenshots(page, 'dashboard');

    await page.getByRole('button', { name: 'Edit Buy milk' }).click();
    const editForm = page.getByRole('form', { name: 'Edit Buy milk' });
    await editForm.getByLabel('Title').fill('Buy oat milk');
    await editForm.getByLabel('Description').fill('two cartons');
    await editForm.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Buy oat milk', { exact: true }).waitFor();
    expect(await page.getByText('two cartons').isVisible()).toBe(true);

    // The box is ticked once the API has saved it, so click and wait rather than check().
    await page.getByRole('checkbox', { name: /Call Bob/ }).click();
    await page.locator('.item.done', { hasText: 'Call Bob' }).waitFor();

    await page.getByRole('button', { name: 'Delete Call Bob' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('Call Bob', { exact: true }).waitFor({ state: 'detached' });

    // The API agrees with what the page shows.
    const token = (await storedAccessToken(page))!;
    const list = (await (await stack.callApi('/api/v1/items?limit=100&offset=0', token)).json()) as {
      items: { title: string; description: string; done: boolean }[];
      total: number;
    };
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ title: 'Buy oat milk', description: 'two cartons', done: false });

    // Eleven more through the API: the dashboard shows 10 a page.
    for (let i = 1; i <= 11; i++) {
      const res = await stack.callApi('/api/v1/items', token, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Bulk ${i}` }),
      });
      expect(res.status).toBe(201);
    }
    await page.reload();
    await page.getByText('1–10 of 12 (page 1 of 2)').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('11–12 of 12 (page 2 of 2)').waitFor();
    expect(await page.locator('.items > li').count()).toBe(2);
    expect(new URL(page.url()).search).toBe('?page=2');
  });

  it('stays signed in across a reload and returns to the page it was on', async () => {
    await page.goto(`${stack.webUrl}/profile`);
    await heading(page, 'Your profile');
    await page.reload();
    await heading(page, 'Your profile');
    await page.getByText(user.email).first().waitFor();
    expect(await page.getByText('verified', { exact: true }).isVisible()).toBe(true);
    await screenshots(page, 'profile');

    // A signed-out visitor of a guarded page is sent to sign-in, and back after signing in.
    const { page: fresh, context } = await newPage(browser);
    await fresh.goto(`${stack.webUrl}/profile`);
    await heading(fresh, 'Sign in');
    await login(fresh, stack, user);
    await heading(fresh, 'Your profile');
    expect(new URL(fresh.url()).pathname).toBe('/profile');
    await context.close();
  });

  it('signs out everywhere: the API refuses the old token and the other device is sent to sign in', async () => {
    const phone = await newPage(browser, PHONE);
    await login(phone.page, stack, user);
    await heading(phone.page, 'Your items');
    // No pause: the cut-off is the IdP's second of the sign-out and inclusive (ADR 0070), so the
    // phone's token is refused even if it was minted in that same second.

    const oldToken = (await storedAccessToken(page))!;
    expect((await stack.callApi('/api/v1/users/me', oldToken)).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await heading(page, 'Sign in');
    expect(await page.getByText('You have been signed out on every device.').isVisible()).toBe(true);
    expect(await storedAccessToken(page)).toBeNull();

    const refused = await stack.callApi('/api/v1/users/me', oldToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);

    // Guarded pages are closed again.
    await page.goto(`${stack.webUrl}/`);
    await heading(page, 'Sign in');

    // The phone's next API call gets 401, its refresh is refused, and it is sent to sign in.
    await phone.page.getByLabel('Title').fill('Should not be saved');
    await phone.page.getByRole('button', { name: 'Add item' }).click();
    await heading(phone.page, 'Sign in');
    expect(await phone.page.getByText('Your session has ended. Please sign in again.').isVisible()).toBe(
      true,
    );
    expect(await storedAccessToken(phone.page)).toBeNull();
    await phone.context.close();
  });

  it('resets a forgotten password with the mailed code', async () => {
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await heading(page, 'Reset your password');
    await screenshots(page, 'forgot-password');
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await heading(page, 'Choose a new password');
    await page.getByLabel('Code').fill(await stack.readCode(user.email, 'reset'));
    const newPassword = 'a brand new passphrase';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirm new password').fill(newPassword);
    await screenshots(page, 'reset-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await heading(page, 'Sign in');
    expect(await page.getByText('Your password has been changed. Sign in with it.').isVisible()).toBe(true);

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    await login(page, stack, { email: user.email, password: newPassword });
    await heading(page, 'Your items');
  });

  it('changes the password on the profile page', async () => {
    await page.getByRole('link', { name: 'Profile' }).click();
    await heading(page, 'Your profile');
    const form = page.getByRole('region', { name: 'Change password' });
    await form.getByLabel('Current password').fill('wrong current password');
    await form.getByLabel('New password', { exact: true }).fill('my third passphrase');
    await form.getByLabel('Confirm new password').fill('my third passphrase');
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toBe('Your current password is not right.');

    // A second device signed in with the old password: the change must end its session (ADR 0070).
    const phone = await newPage(browser, PHONE);
    await login(phone.page, stack, { email: user.email, password: 'a brand new passphrase' });
    await heading(phone.page, 'Your items');
    const phoneToken = (await storedAccessToken(phone.page))!;
    const phoneRefresh = (await storedToken(phone.page, 'refreshToken'))!;
    expect((await stack.callApi('/api/v1/users/me', phoneToken)).status).toBe(200);
    const before = (await storedAccessToken(page))!;

    await form.getByLabel('Current password').fill('a brand new passphrase');
    await form.getByRole('button', { name: 'Change password' }).click();
    const done = form.getByText(/^Your password has been changed/);
    await done.waitFor();
    expect(await form.getByLabel('Current password').inputValue()).toBe('');

    // The phone's access token is refused by the API at once, and its refresh token is dead.
    const refused = await stack.callApi('/api/v1/users/me', phoneToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(await refreshStatus(stack, phoneRefresh)).toBe(400);
    expect(await done.textContent()).toBe(
      'Your password has been changed, and every other device has been signed out.',
    );
    await phone.page.getByLabel('Title').fill('Should not be saved');
    await phone.page.getByRole('button', { name: 'Add item' }).click();
    await heading(phone.page, 'Sign in');
    await phone.context.close();

    // This device carries on with a fresh session; its old token is refused too.
    const after = (await storedAccessToken(page))!;
    expect(after).not.toBe(before);
    expect((await stack.callApi('/api/v1/users/me', after)).status).toBe(200);
    expect((await stack.callApi('/api/v1/users/me', before)).status).toBe(401);
    await heading(page, 'Your profile');
  });

  it('signs out on this device: the API refuses its access token, the refresh token is revoked, the pages are closed, the other device stays signed in', async () => {
    const phone = await newPage(browser, PHONE);
    await login(phone.page, stack, { email: user.email, password: 'my third passphrase' });
    await heading(phone.page, 'Your items');
    const phoneToken = (await storedAccessToken(phone.page))!;

    const refreshToken = (await storedToken(page, 'refreshToken'))!;
    const accessToken = (await storedAccessToken(page))!;
    expect(claims(accessToken).origin_jti).not.toBe(claims(phoneToken).origin_jti);
    expect(await refreshStatus(stack, refreshToken)).toBe(200);
    expect((await stack.callApi('/api/v1/users/me', accessToken)).status).toBe(200);

    // The order the SPA talks to the servers in: the API's sign-out (it needs the access token),
    // then Cognito's RevokeToken.
    const calls: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'POST') return;
      if (r.url().endsWith('/api/v1/auth/sign-out')) calls.push('api:sign-out');
      const target = r.headers()['x-amz-target'];
      if (target) calls.push(`idp:${target.split('.').pop()}`);
    });
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await heading(page, 'Sign in');
    expect(await storedAccessToken(page)).toBeNull();
    expect(calls).toEqual(['api:sign-out', 'idp:RevokeToken']);
    expect(await refreshStatus(stack, refreshToken)).toBe(400);

    // A copy of this device's access token is refused by the API at once, not in up to an hour.
    const refused = await stack.callApi('/api/v1/users/me', accessToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);

    // The phone's session is another sign-in: untouched, in the API and in its page.
    expect((await stack.callApi('/api/v1/users/me', phoneToken)).status).toBe(200);
    await phone.page.reload();
    await heading(phone.page, 'Your items');
    await phone.page.getByLabel('Title').fill('Still signed in on the phone');
    await phone.page.getByRole('button', { name: 'Add item' }).click();
    await phone.page.getByText('Still signed in on the phone', { exact: true }).waitFor();
    expectNoBrowserErrors(phone.errors);
    await phone.context.close();

    await page.goto(`${stack.webUrl}/profile`);
    await heading(page, 'Sign in');
    // The changed password is the one that works now.
    await login(page, stack, { email: user.email, password: 'my third passphrase' });
    await heading(page, 'Your profile');
    expectNoBrowserErrors(tp.errors);
  });
});
