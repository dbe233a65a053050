/**
 * Screenshots of every page of the SPA at phone (375 px) and desktop (1280 px) widths, in the light
 * and the dark theme, against the whole local stack (the e2e stack, Debian Chromium). Each page also
 * goes through the axe gate first: serious or critical findings fail the run and no picture of a
 * broken page is written. The pictures are committed in docs/screenshots/ and shown in
 * apps/web/README.md.
 *
 *   npx tsx e2e/screenshots.ts [--out <folder>]     (default docs/screenshots)
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '@app/stack';
import type { Browser, Page } from 'playwright-core';
import { seriousA11yFindings } from './support/a11y.ts';
import { DESKTOP, launchBrowser, PHONE } from './support/browser.ts';
import { login, storedAccessToken } from './support/fixtures.ts';
import { type Stack, startE2eStack } from './support/stack.ts';

const outArg = process.argv.indexOf('--out');
const out = resolve(outArg > 0 ? process.argv[outArg + 1]! : join(repoRoot, 'docs', 'screenshots'));

// Seeded for the pictures only (a throw-away stack): not the `npm start` demo accounts.
const admin = {
  email: 'ada@example.com',
  password: 'screenshot passphrase 1',
  name: 'Ada Admin',
  groups: ['admin'],
};
const member = { email: 'ben@example.com', password: 'screenshot passphrase 2', name: 'Ben Member' };

interface Shot {
  name: string;
  path: string;
  heading: string;
  signedIn?: boolean;
}

export const pages: Shot[] = [
  { name: 'sign-in', path: '/sign-in', heading: 'Sign in' },
  { name: 'sign-up', path: '/sign-up', heading: 'Create an account' },
  { name: 'confirm', path: '/confirm?email=ben%40example.com', heading: 'Confirm your e-mail' },
  { name: 'forgot-password', path: '/forgot-password', heading: 'Reset your password' },
  {
    name: 'reset-password',
    path: '/reset-password?email=ben%40example.com',
    heading: 'Choose a new password',
  },
  { name: 'not-found', path: '/no-such-page', heading: 'Page not found' },
  { name: 'items', path: '/', heading: 'Your items', signedIn: true },
  { name: 'profile', path: '/profile', heading: 'Your profile', signedIn: true },
  { name: 'security', path: '/security', heading: 'Sign-in security', signedIn: true },
  { name: 'admin', path: '/admin', heading: 'Administration', signedIn: true },
];

async function seedItems(stack: Stack, page: Page) {
  const token = await storedAccessToken(page);
  if (!token) throw new Error('no access token after sign-in');
  for (const title of ['Renew the TLS certificate', 'Write the release notes', 'Plan the Q1 roadmap']) {
    const res = await stack.callApi('/api/v1/items', token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title, description: 'Seeded for the screenshots.' }),
    });
    if (!res.ok) throw new Error(`seeding an item: HTTP ${res.status}`);
  }
}

async function shoot(browser: Browser, stack: Stack, theme: 'light' | 'dark') {
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: theme });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems: string[] = [];
  let signedIn = false;
  for (const shot of pages) {
    if (shot.signedIn && !signedIn) {
      await login(page, stack, admin);
      if (theme === 'light') await seedItems(stack, page);
      signedIn = true;
    }
    await page.setViewportSize(DESKTOP);
    await page.goto(`${stack.webUrl}${shot.path}`);
    await page.getByRole('heading', { name: shot.heading, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    const findings = await seriousA11yFindings(page);
    if (findings.length) {
      problems.push(`${shot.name} (${theme}): ${JSON.stringify(findings)}`);
      continue;
    }
    for (const [label, size] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(size);
      const file = join(out, `${shot.name}-${label}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      console.log(`wrote ${file}`);
    }
  }
  await context.close();
  return problems;
}

async function main() {
  mkdirSync(out, { recursive: true });
  const [stack, browser] = await Promise.all([startE2eStack({ users: [admin, member] }), launchBrowser()]);
  try {
    const problems = [...(await shoot(browser, stack, 'light')), ...(await shoot(browser, stack, 'dark'))];
    if (problems.length) throw new Error(`accessibility problems:\n${problems.join('\n')}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`screenshots: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
