/**
 * The admin console (issue 15, ADRs 0151, 0152): refused to a non-admin; for an admin a users table
 * with a count, status badges in distinct colours, sorting of the loaded rows, search, groups from the
 * row menu, disable behind a confirmation, the last-admin guard's message, and the audit log page.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, newPage, PHONE, screenshots } from '../support/browser.ts';
import {
  expectNoBrowserErrors,
  heading,
  login,
  storedAccessToken,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

const admin = {
  email: 'root@example.com',
  password: 'the admin passphrase',
  name: 'Ada Admin',
  groups: ['admin'],
};
const member = { email: 'max@example.com', password: 'a member passphrase', name: 'Max Member' };
const pending = 'pending@example.com';

let stack: Stack;
let browser: Browser;

useStackAndBrowser(
  async (s, b) => {
    stack = s;
    browser = b;
    // An account that signed up but never confirmed: UNCONFIRMED.
    const res = await fetch(stack.idp.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
      },
      body: JSON.stringify({
        ClientId: stack.idp.pool.clients.web!.clientId,
        Username: pending,
        Password: 'a pending passphrase',
        UserAttributes: [{ Name: 'email', Value: pending }],
      }),
    });
    expect(res.status).toBe(200);
  },
  { users: [admin, member] },
);

const rowOf = (page: Page, email: string) => page.locator('tr.admin-user', { hasText: email });
/** The badge's border colour, as the browser draws it. */
const badgeColour = (page: Page, email: string) =>
  rowOf(page, email)
    .locator('.badge')
    .first()
    .evaluate((el) => getComputedStyle(el).borderTopColor);
const overflow = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('admin page', () => {
  it('is refused to a non-admin, and the API says 403 too', async () => {
    const { page, context } = await newPage(browser);
    await login(page, stack, member);
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.goto(`${stack.webUrl}/admin`);
    await heading(page, 'Administration');
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await screenshots(page, 'admin-not-allowed');

    const token = (await storedAccessToken(page))!;
    const res = await stack.callApi('/api/v1/admin/users', token);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    await context.close();
  });

  it('shows a counted, sortable table with distinct status badges; groups from the row menu; search', async () => {
    const { page, context, errors } = await newPage(browser);
    await login(page, stack, admin);
    await page.getByRole('link', { name: 'Admin' }).click();
    await heading(page, 'Administration');
    await rowOf(page, member.email).waitFor();
    await page.getByText('3 shown of about 3 users in the pool').waitFor();
    expect(await rowOf(page, pending).locator('.badge').first().textContent()).toBe('Unconfirmed');
    expect(await rowOf(page, member.email).locator('.badge').first().textContent()).toBe('Confirmed');
    expect(await badgeColour(page, pending)).not.toBe(await badgeColour(page, member.email));
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      expect(await overflow(page)).toBe(0);
    }
    await screenshots(page, 'admin');

    // Sorting orders the loaded rows, and the header says which way.
    const emails = () => page.locator('tr.admin-user td[data-label="User"] strong').allTextContents();
    await page.getByRole('button', { name: 'User', exact: true }).click();
    expect(await emails()).toEqual([member.email, pending, admin.email]);
    await page.getByRole('button', { name: 'User', exact: true }).click();
    expect(await emails()).toEqual([admin.email, pending, member.email]);
    expect(await page.getByRole('columnheader', { name: /User/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );

    // Groups from the row menu.
    await rowOf(page, member.email)
      .getByRole('button', { name: `Actions for ${member.email}` })
      .click();
    await rowOf(page, member.email).getByRole('button', { name: 'Groups…' }).click();
    const dialog = page.getByRole('dialog', { name: `Groups of ${member.email}` });
    const editor = dialog.getByRole('checkbox', { name: /editor/ });
    await editor.waitFor();
    expect(await editor.isChecked()).toBe(false);
    await editor.click();
    await expect.poll(() => editor.isChecked()).toBe(true);
    await screenshots(page, 'admin-groups-dialog');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const token = (await storedAccessToken(page))!;
    const groups = (await (
      await stack.callApi(`/api/v1/admin/users/${encodeURIComponent(member.email)}/groups`, token)
    ).json()) as { groups: { group_name: string }[] };
    expect(groups.groups.map((g) => g.group_name)).toContain('editor');

    // Search by e-mail prefix narrows the list.
    await page.getByLabel('E-mail starts with').fill('max');
    await page.getByRole('button', { name: 'Search' }).click();
    await rowOf(page, admin.email).waitFor({ state: 'detached' });
    await rowOf(page, member.email).waitFor();
    expect(await page.locator('tr.admin-user').count()).toBe(1);
    expectNoBrowserErrors(errors);
    await context.close();
  });

  it('disables only after a confirmation, and the disabled user cannot sign in', async () => {
    const { page, context, errors } = await newPage(browser);
    await login(page, stack, admin);
    await page.goto(`${stack.webUrl}/admin`);
    const row = rowOf(page, member.email);
    await row.getByRole('button', { name: `Actions for ${member.email}` }).click();
    await row.getByRole('button', { name: 'Disable…' }).click();
    const dialog = page.getByRole('dialog', { name: `Disable ${member.email}?` });
    await screenshots(page, 'admin-disable-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await row.getByText('Disabled', { exact: true }).count()).toBe(0);

    await row.getByRole('button', { name: `Actions for ${member.email}` }).click();
    await row.getByRole('button', { name: 'Disable…' }).click();
    await dialog.getByRole('button', { name: 'Yes, disable' }).click();
    await row.getByText('Disabled', { exact: true }).waitFor();
    await page.getByText(`${member.email} is disabled.`).waitFor();

    const other = await newPage(browser);
    await other.page.goto(`${stack.webUrl}/sign-in`);
    await other.page.getByLabel('E-mail').fill(member.email);
    await other.page.getByLabel('Password').fill(member.password);
    await other.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => other.page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toMatch(/disabled|not right/);
    await other.context.close();

    // The last enabled admin cannot leave the admin group: the guard's words, in the dialog.
    const self = rowOf(page, admin.email);
    await self.getByRole('button', { name: `Actions for ${admin.email}` }).click();
    await self.getByText('You cannot disable or delete your own account here.').waitFor();
    await self.getByRole('button', { name: 'Groups…' }).click();
    const groups = page.getByRole('dialog', { name: `Groups of ${admin.email}` });
    await groups.getByRole('checkbox', { name: /admin/ }).click();
    await groups
      .getByRole('alert')
      .getByText(/last enabled admin/)
      .waitFor();
    expect(await groups.getByRole('checkbox', { name: /admin/ }).isChecked()).toBe(true);
    await screenshots(page, 'admin-last-admin');
    await groups.getByRole('button', { name: 'Done' }).click();

    // The audit log lists both changes, newest first, by whom.
    await page.getByRole('link', { name: 'Audit log' }).click();
    const audit = page.locator('.audit-table tbody tr');
    await audit.first().waitFor();
    expect(await audit.nth(0).textContent()).toContain('disabled');
    expect(await audit.nth(0).textContent()).toContain(member.email);
    expect(await audit.nth(0).textContent()).toContain(admin.email);
    expect(await audit.nth(1).textContent()).toContain('added to a group (editor)');
    await screenshots(page, 'admin-audit');

    // Enabled again from the row menu: the member signs in with the same password.
    await page.getByRole('link', { name: 'Users' }).click();
    await row.getByRole('button', { name: `Actions for ${member.email}` }).click();
    await row.getByRole('button', { name: 'Enable' }).click();
    await page.getByText(`${member.email} is enabled.`).waitFor();
    await row.getByText('Disabled', { exact: true }).waitFor({ state: 'detached' });
    const back = await newPage(browser);
    await login(back.page, stack, member);
    await back.context.close();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await audit.first().waitFor();
    expect(await audit.nth(0).textContent()).toContain('enabled');
    expectNoBrowserErrors(errors);
    await context.close();
  });
});
