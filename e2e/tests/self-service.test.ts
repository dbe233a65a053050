/**
 * Account self-service in the browser against the whole local stack (ADR 0132): rename, change of
 * e-mail with the code mailed to the new address (the old one signs in until then), "keep me signed
 * in" off (a new tab is signed out), theme toggle, and account deletion. Every page it visits goes
 * through the axe gate and is photographed at both widths.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshots } from '../support/browser.ts';
import {
  expectNoBrowserErrors,
  heading,
  login,
  newUser,
  signUp,
  storedAccessToken,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

let stack: Stack;
let browser: Browser;

useStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

describe('account self-service', () => {
  it('renames, and moves to a new e-mail only with the code mailed there', async () => {
    const user = newUser('mover');
    const { page, errors } = await newPage(browser);
    await signUp(page, stack, user);
    await login(page, stack, user);
    await page.goto(`${stack.webUrl}/profile`);
    await heading(page, 'Your profile');

    const name = page.getByRole('region', { name: 'Name' });
    await name.getByLabel('Name').fill('Renamed Person');
    await name.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Name saved.').waitFor();

    const email = page.getByRole('region', { name: 'E-mail address' });
    const next = user.email.replace('@', '.new@');
    await email.getByLabel('New e-mail address').fill(next);
    await email.getByRole('button', { name: 'Change e-mail' }).click();
    await email.getByText(`Until you enter it, you keep signing in with ${user.email}`).waitFor();
    await screenshots(page, 'profile-email-pending');

    // Meanwhile the old address still signs in (a second browser).
    const other = await newPage(browser);
    await login(other.page, stack, user);
    await other.context.close();

    await email.getByLabel('Code from the new address').fill('000000');
    await email.getByRole('button', { name: 'Confirm new address' }).click();
    await email.getByRole('alert').getByText('That code is not right').waitFor();
    await email.getByLabel('Code from the new address').fill(await stack.readCode(next, 'verification'));
    await email.getByRole('button', { name: 'Confirm new address' }).click();
    await page.getByText(`Your e-mail address is now ${next}.`).waitFor();
    await email.getByText(next, { exact: true }).waitFor();
    expectNoBrowserErrors(errors.filter((e) => !/400/.test(e)));
  });

  it('"keep me signed in" off: the session stays in this tab only', async () => {
    const user = newUser('shared');
    const { page, context } = await newPage(browser);
    await signUp(page, stack, user);
    await heading(page, 'Sign in');
    await page.getByRole('checkbox', { name: 'Keep me signed in' }).uncheck();
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const inLocal = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('Token')));
    expect(inLocal).toEqual([]);
    // A reload keeps the tab's session; a new tab of the same browser starts signed out.
    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const tab = await context.newPage();
    await tab.goto(`${stack.webUrl}/`);
    await heading(tab, 'Sign in');
  });

  it('switches to the dark theme and remembers it', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${stack.webUrl}/sign-in`);
    await heading(page, 'Sign in');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await heading(page, 'Sign in');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(
      await page.evaluate(
        () =>
          getComputedStyle(document.body).colorScheme ||
          getComputedStyle(document.documentElement).colorScheme,
      ),
    ).toBe('dark');
    await screenshots(page, 'sign-in-dark');
  });

  it('deletes the account after the address is typed; its old token and the password no longer work', async () => {
    const user = newUser('leaver');
    const { page } = await newPage(browser);
    await signUp(page, stack, user);
    await login(page, stack, user);
    await page.goto(`${stack.webUrl}/profile`);
    await heading(page, 'Your profile');
    // A token captured before the deletion, as a stolen copy would be.
    const captured = (await storedAccessToken(page))!;
    expect((await stack.callApi('/api/v1/users/me', captured)).status).toBe(200);
    await page.getByRole('button', { name: 'Delete account…' }).click();
    const zone = page.getByRole('region', { name: 'Delete account' });
    await zone.getByLabel('Type your e-mail address to confirm').fill(user.email);
    await screenshots(page, 'profile-delete-confirm');
    await zone.getByRole('button', { name: 'Delete my account' }).click();
    await heading(page, 'Sign in');
    await page.getByText('Your account has been deleted.').waitFor();
    // Deleted through the API (ADR 0150): the captured token is refused at once, not in an hour.
    expect((await stack.callApi('/api/v1/users/me', captured)).status).toBe(401);

    await page.getByLabel('E-mail').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('The e-mail address or password is not right.').waitFor();
  });
});
