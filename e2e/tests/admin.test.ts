/** The admin page: refused to a non-admin (by the page and by the API), working for an admin. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshots } from '../support/browser.ts';
import { expectNoBrowserErrors, heading, login, storedAccessToken } from '../support/fixtures.ts';
import { type Stack, startE2eStack } from '../support/stack.ts';

const admin = {
  email: 'root@example.com',
  password: 'the admin passphrase',
  name: 'Ada Admin',
  groups: ['admin'],
};
const member = { email: 'max@example.com', password: 'a member passphrase', name: 'Max Member' };

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startE2eStack({ users: [admin, member] }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

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

  it('lists users and groups for an admin, who can put a user in a group and disable them', async () => {
    const { page, context, errors } = await newPage(browser);
    await login(page, stack, admin);
    await page.getByRole('link', { name: 'Admin' }).click();
    await heading(page, 'Administration');
    const row = page.locator('.admin-user', { hasText: member.email });
    await row.waitFor();
    await page.locator('.group-list li', { hasText: 'editor' }).waitFor();
    await screenshots(page, 'admin');

    await row.getByRole('button', { name: 'Groups' }).click();
    const editor = row.getByRole('checkbox', { name: /editor/ });
    await editor.waitFor();
    expect(await editor.isChecked()).toBe(false);
    await editor.click(); // ticked once the API has answered
    await expect.poll(() => editor.isChecked()).toBe(true);

    const token = (await storedAccessToken(page))!;
    const groups = (await (
      await stack.callApi(`/api/v1/admin/users/${encodeURIComponent(member.email)}/groups`, token)
    ).json()) as { groups: { group_name: string }[] };
    expect(groups.groups.map((g) => g.group_name)).toContain('editor');

    // Filtering by e-mail prefix narrows the list.
    await page.getByLabel('E-mail starts with').fill('max');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('.admin-user', { hasText: admin.email }).waitFor({ state: 'detached' });
    await page.locator('.admin-user', { hasText: member.email }).waitFor();
    expect(await page.locator('.admin-user').count()).toBe(1);

    // Disabling the member asks first, then stops them signing in.
    const memberRow = page.locator('.admin-user', { hasText: member.email });
    await memberRow.getByRole('button', { name: /Disable/ }).click();
    await memberRow.getByRole('button', { name: 'Cancel' }).click();
    expect(await memberRow.getByText('enabled', { exact: true }).count()).toBe(1);
    await memberRow.getByRole('button', { name: /Disable/ }).click();
    await memberRow.getByRole('button', { name: 'Yes, disable' }).click();
    await page
      .locator('.admin-user', { hasText: member.email })
      .getByText('disabled', { exact: true })
      .waitFor();
    const other = await newPage(browser);
    await other.page.goto(`${stack.webUrl}/sign-in`);
    await heading(other.page, 'Sign in');
    await other.page.getByLabel('E-mail').fill(member.email);
    await other.page.getByLabel('Password').fill(member.password);
    await other.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => other.page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toMatch(/disabled|not right/);
    expectNoBrowserErrors(errors);
    await other.context.close();
    await context.close();
  });
});
