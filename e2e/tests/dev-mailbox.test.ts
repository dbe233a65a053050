/**
 * The local IdP's dev mailbox as a developer meets it from the confirm page (issue 15): the page says
 * where the code is, the mailbox opens in a new tab, shows a newer code by itself and marks the codes
 * it replaced, copies the live code with its button, and "Back to the app" closes the tab, leaving the
 * half-filled confirm page as it was. The mailbox goes through the axe gate and is photographed at
 * both widths.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshots } from '../support/browser.ts';
import {
  expectNoBrowserErrors,
  heading,
  newUser,
  submitSignUp,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

let stack: Stack;
let browser: Browser;

useStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

describe('the dev mailbox from the confirm page', () => {
  it('shows the live code with a copy button, marks the replaced one, and goes back to the app', async () => {
    const user = newUser('mailbox');
    const { page, context, errors } = await newPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.idp.url });
    await submitSignUp(page, stack, { ...user, name: 'Mail Box' });
    await page.getByText('Running locally: no e-mail is sent.').waitFor();
    // A resend replaces the first code: the mailbox marks the old one.
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.getByText('We sent a new code.').waitFor();
    await page.getByLabel('Confirmation code').fill('12');

    const [mailbox] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: "local IdP's dev mailbox" }).click(),
    ]);
    await mailbox.getByRole('heading', { name: `Dev mailbox for ${user.email}` }).waitFor();
    expect(await mailbox.locator('article.superseded').count()).toBe(1);
    await mailbox.getByText('superseded: a newer code was sent, use that one').waitFor();
    // Another code from the app's tab: the mailbox shows it by itself (it reloads), nobody presses F5.
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await mailbox.locator('article.superseded').nth(1).waitFor();
    const live = mailbox.locator('article:not(.superseded)');
    expect(await live.count()).toBe(1);
    const code = (await live.locator('code').textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    await screenshots(mailbox, 'dev-mailbox');

    await live.getByRole('button', { name: 'Copy' }).click();
    await live.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await mailbox.evaluate(() => navigator.clipboard.readText())).toBe(code);

    // Back to the app: this tab closes; the app's tab still holds what was typed.
    const closed = mailbox.waitForEvent('close');
    await mailbox.getByRole('link', { name: '← Back to the app' }).click();
    await closed;
    expect(await page.getByLabel('Confirmation code').inputValue()).toBe('12');
    await page.getByLabel('Confirmation code').fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading(page, 'Sign in');
    await page.getByText('Your e-mail address is confirmed. Sign in.').waitFor();
    expectNoBrowserErrors(errors);
  });
});
