/**
 * Layout under hostile content, measured in Chromium: a title without spaces (a pasted URL) must
 * never make the page scroll sideways, at phone or desktop width, nor push Edit/Delete or the delete
 * confirmation off screen; Edit and Delete sit side by side at the row's top on a wide screen; the
 * phone header keeps one height from page to page, with its links on one row.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, newPage, PHONE, screenshots, type TestPage } from '../support/browser.ts';
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
let tp: TestPage;
let page: Page;
const user = newUser('wide');
// No hyphen either: Chromium would break a line after one.
const LONG = `https://example.com/${'averylongpathsegmentwithoutspaces'.repeat(6)}`.slice(0, 200);

useStackAndBrowser(async (s, b) => {
  stack = s;
  browser = b;
  tp = await newPage(browser, PHONE);
  page = tp.page;
});

/** How far the document is wider than the viewport (0 when it never scrolls sideways). */
const overflow = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The element's box in the viewport. */
const box = async (p: Page, role: 'button' | 'link' | 'navigation', name: string) =>
  (await p.getByRole(role, { name, exact: true }).boundingBox())!;

/** True when the element's box lies within the viewport's width. */
const onScreen = (p: Page, name: string) =>
  p.getByRole('button', { name }).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.left >= 0 && r.right <= document.documentElement.clientWidth;
  });

describe('layout with long text', () => {
  it('never scrolls sideways with an unbroken 200-character title, at 375 and 1280 px', async () => {
    await signUp(page, stack, user);
    await login(page, stack, user);
    await heading(page, 'Your items');
    await page.getByLabel('Title').fill(LONG);
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.locator('.item-title', { hasText: LONG.slice(0, 40) }).waitFor();

    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      expect(await overflow(page)).toBe(0);
      expect(await onScreen(page, `Edit ${LONG}`)).toBe(true);
      expect(await onScreen(page, `Delete ${LONG}`)).toBe(true);
    }
    // Wide: Edit and Delete side by side in the row's first line, not stacked under a narrow title.
    await page.setViewportSize(DESKTOP);
    const edit = await box(page, 'button', `Edit ${LONG}`);
    const del = await box(page, 'button', `Delete ${LONG}`);
    const title = (await page.locator('.item-title', { hasText: LONG.slice(0, 40) }).boundingBox())!;
    expect(del.y).toBe(edit.y);
    expect(del.x).toBeGreaterThan(edit.x + edit.width);
    expect(edit.y).toBeLessThan(title.y + title.height);

    await page.getByRole('button', { name: `Delete ${LONG}` }).click();
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      expect(await overflow(page)).toBe(0);
      expect(await onScreen(page, 'Yes, delete')).toBe(true);
      expect(await onScreen(page, 'Keep')).toBe(true);
    }
    await screenshots(page, 'items-long-title');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No items yet.').waitFor();
    // Focus stays in the list rather than dropping to the page body.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-list');
    expectNoBrowserErrors(tp.errors);
  });

  it('keeps the phone header one height on every signed-in page', async () => {
    await page.setViewportSize(PHONE);
    const heights: number[] = [];
    for (const [link, title] of [
      ['Profile', 'Your profile'],
      ['Items', 'Your items'],
    ] as const) {
      await page.getByRole('link', { name: link }).click();
      await heading(page, title);
      heights.push(await page.locator('.site-header').evaluate((h) => h.getBoundingClientRect().height));
    }
    expect(heights[0]).toBeGreaterThan(0);
    expect(heights[1]).toBe(heights[0]);
    // Sign out sits by the brand and the theme toggle; the page links share the row below it.
    const signOut = await box(page, 'button', 'Sign out');
    const brand = await box(page, 'link', 'Cognito Stack');
    expect(signOut.y).toBeLessThan(brand.y + brand.height);
    const links = await Promise.all(['Items', 'Profile', 'Security'].map((n) => box(page, 'link', n)));
    expect(new Set(links.map((l) => l.y)).size).toBe(1);
    expect(links[0]!.y).toBeGreaterThanOrEqual(signOut.y + signOut.height);
    // Only the page's own link is marked as current, never the brand.
    expect(await page.getByRole('link', { name: 'Items', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    );
    expect(await page.getByRole('link', { name: 'Cognito Stack' }).getAttribute('aria-current')).toBeNull();
    // The brand mark and the tab's icon are the same picture, served by the app.
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(icon).toBe('/favicon.svg');
    const res = await fetch(`${stack.webUrl}${icon}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('image/svg+xml');
    expect(
      await page.locator('.brand-mark').evaluate((el) => getComputedStyle(el).backgroundImage),
    ).toContain('/favicon.svg');
  });

  it('keeps focus where the work is: the title field after adding, the list after paging', async () => {
    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: 'Items', exact: true }).click();
    await heading(page, 'Your items');
    await page.getByLabel('Title').fill('Focus one');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByText('Focus one', { exact: true }).waitFor();
    // Ready for the next item, not lost on the page body.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('title');

    const token = (await storedAccessToken(page))!;
    for (let i = 1; i <= 10; i++) {
      const res = await stack.callApi('/api/v1/items', token, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Focus ${i + 1}` }),
      });
      expect(res.status).toBe(201);
    }
    await page.reload();
    await heading(page, 'Your items');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('11–11 of 11 (page 2 of 2)').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-list');
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('1–10 of 11 (page 1 of 2)').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('item-list');
  });

  it('shows an unknown address as a page of its own, with a way home and no sideways scroll', async () => {
    await page.goto(`${stack.webUrl}/no/such/page/${'x'.repeat(120)}`);
    await heading(page, 'Page not found');
    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      expect(await overflow(page)).toBe(0);
    }
    await screenshots(page, 'not-found');
  });
});
