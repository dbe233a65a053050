/**
 * Admin console flows that reach another person (issue 15): an invitation whose temporary password,
 * read from the dev mailbox, signs the invited user in to choose their own; "sign out everywhere"
 * refusing the user's old token at once; "reset password" mailing a code.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshots } from '../support/browser.ts';
import {
  expectNoBrowserErrors,
  heading,
  login,
  storedAccessToken,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

const admin = {
  email: 'chief@example.com',
  password: 'the chief passphrase',
  name: 'Chief',
  groups: ['admin'],
};
const roamer = { email: 'roamer@example.com', password: 'a roaming passphrase', name: 'Ro Amer' };
const invited = { email: 'newbie@example.com', name: 'New Bie', password: 'my own new passphrase' };

let stack: Stack;
let browser: Browser;

useStackAndBrowser(
  (s, b) => {
    stack = s;
    browser = b;
  },
  { users: [admin, roamer] },
);

async function adminConsole(): Promise<{ page: Page; close(): Promise<void>; errors: string[] }> {
  const { page, context, errors } = await newPage(browser);
  await login(page, stack, admin);
  await page.goto(`${stack.webUrl}/admin`);
  await heading(page, 'Administration');
  await page.locator('tr.admin-user').first().waitFor();
  return { page, errors, close: () => context.close() };
}

async function act(page: Page, email: string, item: string, dialogName: string, confirm: string) {
  const row = page.locator('tr.admin-user', { hasText: email });
  await row.getByRole('button', { name: `Actions for ${email}` }).click();
  await row.getByRole('button', { name: item }).click();
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.getByRole('button', { name: confirm }).click();
  await dialog.waitFor({ state: 'detached' });
}

describe('admin console: invite, sign out everywhere, reset password', () => {
  it('invites a user, who signs in with the mailed temporary password and sets their own', async () => {
    const { page, close, errors } = await adminConsole();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('E-mail address').fill(invited.email);
    await dialog.getByLabel('Name (optional)').fill(invited.name);
    await screenshots(page, 'admin-invite');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByText(`Invitation sent to ${invited.email}.`).waitFor();
    const row = page.locator('tr.admin-user', { hasText: invited.email });
    expect(await row.locator('.badge').first().textContent()).toBe('Invited');
    expectNoBrowserErrors(errors);
    await close();

    const temporary = await stack.readCode(invited.email, 'invitation');
    const guest = await newPage(browser);
    await guest.page.goto(`${stack.webUrl}/sign-in`);
    await guest.page.getByLabel('E-mail').fill(invited.email);
    await guest.page.getByLabel('Password').fill(temporary);
    await guest.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(guest.page, 'Choose a new password');
    await guest.page.getByLabel('New password', { exact: true }).fill(invited.password);
    await guest.page.getByLabel('Confirm new password').fill(invited.password);
    await guest.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await guest.page.getByRole('navigation', { name: 'Main' }).waitFor();
    const token = (await storedAccessToken(guest.page))!;
    expect((await stack.callApi('/api/v1/users/me', token)).status).toBe(200);
    await guest.context.close();
  });

  it('signs a user out everywhere: their old token is refused at once; reset mails a code', async () => {
    const victim = await newPage(browser);
    await login(victim.page, stack, roamer);
    const token = (await storedAccessToken(victim.page))!;
    expect((await stack.callApi('/api/v1/users/me', token)).status).toBe(200);

    const { page, close, errors } = await adminConsole();
    await act(
      page,
      roamer.email,
      'Sign out everywhere…',
      `Sign ${roamer.email} out everywhere?`,
      'Sign out everywhere',
    );
    await page.getByText(`${roamer.email} is signed out everywhere.`).waitFor();
    expect((await stack.callApi('/api/v1/users/me', token)).status).toBe(401);

    await act(
      page,
      roamer.email,
      'Reset password…',
      `Reset the password of ${roamer.email}?`,
      'Reset password',
    );
    await page.getByText(`A code to choose a new password is on its way to ${roamer.email}.`).waitFor();
    expect(await stack.readCode(roamer.email, 'reset')).toMatch(/^\d{6}$/);
    // Focus went back to the row's menu button, not to the page body.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Actions');

    await page.getByRole('link', { name: 'Audit log' }).click();
    const audit = page.locator('.audit-table tbody tr');
    await audit.first().waitFor();
    const rows = await audit.allTextContents();
    expect(rows[0]).toContain('reset the password of');
    expect(rows[1]).toContain('signed out everywhere');
    expect(rows[2]).toContain('invited');
    expectNoBrowserErrors(errors);
    await close();
    await victim.context.close();
  });

  it('deletes a user after a confirmation: the row goes and a toast says so', async () => {
    const { page, close, errors } = await adminConsole();
    const row = page.locator('tr.admin-user', { hasText: invited.email });
    await row.getByRole('button', { name: `Actions for ${invited.email}` }).click();
    await row.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${invited.email}?` });
    await screenshots(page, 'admin-delete-confirm');
    await dialog.getByRole('button', { name: 'Yes, delete' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText(`${invited.email} is deleted.`).waitFor();
    // Focus lands on the table's heading, not on the page body (keyboard users keep their place).
    await page.getByRole('heading', { name: 'Users', exact: true }).and(page.locator(':focus')).waitFor();
    expectNoBrowserErrors(errors);
    await close();
  });
});
