/**
 * Debian's Chromium driven by playwright-core (no bundled browser download). Each launch gets a
 * fresh temporary profile from Playwright, and each test a fresh context (empty localStorage).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@app/stack';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { seriousA11yFindings } from './a11y.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };
export const screenshotDir = join(repoRoot, 'e2e', 'test-results', 'screenshots');

/** `extraArgs`: flags one test needs (e.g. trusting the IdP's TLS key), scoped to its own browser. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (npm test's pretest does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true, // Playwright passes --headless
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Browser console errors and uncaught exceptions seen so far (a test can assert none). */
  errors: string[];
}

export async function newPage(browser: Browser, viewport = DESKTOP): Promise<TestPage> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}

/**
 * Saves the current page at phone and desktop widths, as test artifacts (gitignored), and checks
 * it with axe-core at both widths: serious or critical accessibility findings fail the test.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const findings = await seriousA11yFindings(page);
  if (findings.length > 0) {
    throw new Error(`accessibility problems on ${name}:\n${JSON.stringify(findings, null, 2)}`);
  }
  mkdirSync(screenshotDir, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(screenshotDir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}
