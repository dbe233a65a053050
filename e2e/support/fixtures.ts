/** Steps the browser tests share: signing up and in through the UI, reading tokens. */

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser } from './browser.ts';
import { type Stack, type StackOptions, startE2eStack } from './stack.ts';

export interface TestUser {
  email: string;
  password: string;
  name: string;
}

/**
 * Starts the whole local stack and Chromium once for the test file (beforeAll) and stops both after
 * it (afterAll), the stack with `options`. `ready` gets them when both are up, to keep them and do
 * the file's own setup.
 */
export function useStackAndBrowser(
  ready: (stack: Stack, browser: Browser) => void | Promise<void>,
  options: StackOptions = {},
): void {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [stack, browser] = await Promise.all([startE2eStack(options), launchBrowser()]);
    await ready(stack, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
}

let counter = 0;
/** A new, unique user (the pool lives for one test file). */
export function newUser(prefix = 'user'): TestUser {
  counter++;
  return {
    email: `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`,
    password: `correct horse battery ${counter}`,
    name: `Test ${prefix} ${counter}`,
  };
}

export async function heading(page: Page, name: string) {
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** Fills and sends the sign-up form (terms accepted) and waits for the confirm page. */
export async function submitSignUp(page: Page, stack: Stack, user: TestUser): Promise<void> {
  await page.goto(`${stack.webUrl}/sign-up`);
  await heading(page, 'Create an account');
  const [first, ...rest] = user.name.split(' ');
  await page.getByLabel('First name').fill(first || user.name);
  await page.getByLabel('Last name').fill(rest.join(' ') || 'Example');
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm password').fill(user.password);
  await page.getByLabel('I accept the terms of service').check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await heading(page, 'Confirm your e-mail');
}

/** Signs up through the UI, reads the code from the IdP's dev mailbox and confirms it. */
export async function signUp(
  page: Page,
  stack: Stack,
  user: TestUser,
  onConfirmPage?: (page: Page) => Promise<void>,
): Promise<void> {
  await submitSignUp(page, stack, user);
  await onConfirmPage?.(page);
  await page.getByLabel('Confirmation code').fill(await stack.readCode(user.email, 'signup'));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await heading(page, 'Sign in');
}

/** Signs in through the UI (SRP in the browser) and waits for the dashboard. */
export async function login(
  page: Page,
  stack: Stack,
  user: Pick<TestUser, 'email' | 'password'>,
): Promise<void> {
  if (!page.url().includes('/sign-in')) await page.goto(`${stack.webUrl}/sign-in`);
  await heading(page, 'Sign in');
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** A token amazon-cognito-identity-js keeps in localStorage for the last user, or null. */
export async function storedToken(
  page: Page,
  kind: 'accessToken' | 'idToken' | 'refreshToken',
): Promise<string | null> {
  return page.evaluate((k) => {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      if (key.endsWith('.LastAuthUser')) {
        const prefix = key.slice(0, -'.LastAuthUser'.length);
        return localStorage.getItem(`${prefix}.${localStorage.getItem(key)}.${k}`);
      }
    }
    return null;
  }, kind);
}

export function storedAccessToken(page: Page): Promise<string | null> {
  return storedToken(page, 'accessToken');
}

/** Asks the IdP for new tokens with a refresh token, as the SPA would; returns the HTTP status. */
export async function refreshStatus(stack: Stack, refreshToken: string): Promise<number> {
  const res = await fetch(stack.idp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: stack.idp.pool.clients.web!.clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken },
    }),
  });
  return res.status;
}

export function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function expectNoBrowserErrors(errors: string[]) {
  // A refused request shows in the console as a failed resource load; those are expected in some tests.
  expect(errors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
}
