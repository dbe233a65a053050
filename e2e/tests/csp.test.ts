/**
 * The SPA runs in Chromium under the CSP it ships with (the one static server of packages/stack,
 * the same headers CloudFront sends): signing up and in works with it, and the policy really binds —
 * a call to an origin config.json does not name is blocked by the browser.
 */
import { spaSecurityHeaders } from '@app/stack';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, type TestPage } from '../support/browser.ts';
import {
  expectNoBrowserErrors,
  heading,
  login,
  newUser,
  signUp,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

let stack: Stack;
let browser: Browser;
let tp: TestPage;

useStackAndBrowser(async (s, b) => {
  stack = s;
  browser = b;
  tp = await newPage(browser);
});

describe('the SPA under the production CSP', () => {
  it('is served with the production headers, derived from its config.json', async () => {
    const config = await (await fetch(`${stack.webUrl}/config.json`)).json();
    const res = await fetch(`${stack.webUrl}/sign-in`);
    const expected = spaSecurityHeaders(config);
    for (const [name, value] of Object.entries(expected)) expect(res.headers.get(name)).toBe(value);
  });

  it('signs up and in with the policy in force, without a violation', async () => {
    const violations: string[] = [];
    await tp.page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await tp.page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });
    const user = newUser('csp');
    await signUp(tp.page, stack, user);
    await login(tp.page, stack, user);
    await heading(tp.page, 'Your items');
    expect(violations).toEqual([]);
    expectNoBrowserErrors(tp.errors);
  });

  it('blocks a call to an origin the config does not name', async () => {
    await tp.page.goto(`${stack.webUrl}/sign-in`);
    const outcome = await tp.page.evaluate(async () => {
      const violated = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), {
          once: true,
        }),
      );
      const fetched = fetch('http://127.0.0.1:9/elsewhere').then(
        () => 'answered',
        () => 'refused',
      );
      return { directive: await violated, fetched: await fetched };
    });
    expect(outcome).toEqual({ directive: 'connect-src', fetched: 'refused' });
  });
});
