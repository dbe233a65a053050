/**
 * The API's interactive docs as a developer sees them in Chromium (issue 15, ADR 0222): how to get a
 * token at the top, a padlock on the routes that need one and none on the public ones, summaries on
 * the operations, and the error answers under the named Problem schema.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshotDir } from '../support/browser.ts';
import { useStackAndBrowser } from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

let stack: Stack;
let browser: Browser;

useStackAndBrowser((s, b) => {
  stack = s;
  browser = b;
});

describe('/docs in the browser', () => {
  it('says how to get a token and puts the padlock only on routes that need one', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${stack.apiUrl}/docs`);
    await page.getByText('Getting a token to try it here').waitFor();
    const operation = (method: string, path: string) =>
      page.locator(`.opblock-${method}:has(.opblock-summary-path[data-path="${path}"])`);

    const login = operation('post', '/api/v1/auth/login');
    await login.waitFor();
    expect(await login.locator('.opblock-summary-description').textContent()).toMatch(/^Sign in/);
    expect(await login.locator('.authorization__btn').count()).toBe(0);
    expect(await operation('get', '/health').locator('.authorization__btn').count()).toBe(0);
    const me = operation('get', '/api/v1/users/me');
    expect(await me.locator('.opblock-summary-description').textContent()).toBe('My profile');
    expect(await me.locator('.authorization__btn').count()).toBe(1);

    // The schemas section names the shared ones.
    const models = page.locator('section.models');
    await models.getByText('Problem', { exact: true }).waitFor();
    await models.getByText('Item', { exact: true }).waitFor();
    expect(await models.getByText(/^def-\d+$/).count()).toBe(0);
    // A picture for the reviewer (swagger-ui's own page: not held to the SPA's axe gate).
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'api-docs-desktop.png') });
  });
});
