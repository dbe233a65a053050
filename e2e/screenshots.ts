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
  /** Brings the page into the state to photograph (a menu or dialog open) after it has loaded. */
  open?: (page: Page) => Promise<void>;
  /** A modal's backdrop covers the viewport only: photograph just the viewport, not the whole page. */
  modal?: boolean;
}

const memberActions = (page: Page) =>
  page.getByRole('button', { name: `Actions for ${member.email}` }).click();
/** Opens one of the member's row actions and waits for its dialog. */
const memberDialog = (item: string, dialog: string) => async (page: Page) => {
  await memberActions(page);
  await page.getByRole('button', { name: item }).click();
  await page.getByRole('dialog', { name: dialog }).waitFor();
};

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
  {
    name: 'admin-row-menu',
    path: '/admin',
    heading: 'Administration',
    signedIn: true,
    open: async (page) => {
      await memberActions(page);
      await page.getByRole('button', { name: 'Disable…' }).waitFor();
    },
  },
  {
    name: 'admin-invite',
    path: '/admin',
    heading: 'Administration',
    signedIn: true,
    open: async (page) => {
      await page.getByRole('button', { name: 'Invite user' }).click();
      await page.getByRole('dialog', { name: 'Invite a user' }).waitFor();
    },
    modal: true,
  },
  {
    name: 'admin-disable-confirm',
    path: '/admin',
    heading: 'Administration',
    signedIn: true,
    open: memberDialog('Disable…', `Disable ${member.email}?`),
    modal: true,
  },
  {
    name: 'admin-delete-confirm',
    path: '/admin',
    heading: 'Administration',
    signedIn: true,
    open: memberDialog('Delete…', `Delete ${member.email}?`),
    modal: true,
  },
  { name: 'admin-audit', path: '/admin?view=audit', heading: 'Administration', signedIn: true },
  {
    // The items page with files attached, after a refused upload (ADR 0173).
    name: 'attachments',
    path: '/',
    heading: 'Your items',
    signedIn: true,
    open: async (page) => {
      await page.getByRole('link', { name: 'Download roadmap.pdf' }).waitFor();
      await page.getByLabel('Attach a file to Plan the Q1 roadmap').setInputFiles({
        name: 'notes.html',
        mimeType: 'text/html',
        buffer: Buffer.from('<p>notes</p>'),
      });
      await page.getByRole('alert').getByText('is not a file type you can attach').waitFor();
    },
  },
];

// A real 1×1 PNG (a thumbnail) and a minimal PDF, attached to the newest item.
const files = [
  {
    name: 'whiteboard.png',
    type: 'image/png',
    body: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    ),
  },
  { name: 'roadmap.pdf', type: 'application/pdf', body: Buffer.from('%PDF-1.4\n%%EOF\n') },
];

async function seedAttachments(stack: Stack, token: string, itemId: string) {
  const base = `/api/v1/items/${itemId}/attachments`;
  for (const f of files) {
    const declared = { name: f.name, content_type: f.type, size: f.body.length };
    const json = { 'content-type': 'application/json' };
    const start = await stack.callApi(`${base}/uploads`, token, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(declared),
    });
    if (!start.ok) throw new Error(`presigning an attachment: HTTP ${start.status}`);
    const upload = (await start.json()) as {
      upload_id: string;
      url: string;
      headers: Record<string, string>;
    };
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: f.body });
    if (!put.ok) throw new Error(`uploading an attachment: HTTP ${put.status}`);
    const done = await stack.callApi(base, token, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ upload_id: upload.upload_id, ...declared }),
    });
    if (!done.ok) throw new Error(`recording an attachment: HTTP ${done.status}`);
  }
}

/** A few admin actions on the member, so the audit list has rows (the member ends enabled). */
async function seedAudit(stack: Stack, token: string) {
  const res = await stack.callApi(`/api/v1/admin/users?email=${encodeURIComponent(member.email)}`, token);
  const { users } = (await res.json()) as { users: { username: string; email?: string }[] };
  const username = users.find((u) => u.email === member.email)?.username;
  if (!username) throw new Error(`no ${member.email} in the admin user list`);
  for (const action of ['sign-out', 'disable', 'enable']) {
    const done = await stack.callApi(`/api/v1/admin/users/${encodeURIComponent(username)}/${action}`, token, {
      method: 'POST',
    });
    if (!done.ok) throw new Error(`admin ${action}: HTTP ${done.status}`);
  }
}

async function seedItems(stack: Stack, page: Page) {
  const token = await storedAccessToken(page);
  if (!token) throw new Error('no access token after sign-in');
  let newest = '';
  for (const title of ['Renew the TLS certificate', 'Write the release notes', 'Plan the Q1 roadmap']) {
    const res = await stack.callApi('/api/v1/items', token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title, description: 'Seeded for the screenshots.' }),
    });
    if (!res.ok) throw new Error(`seeding an item: HTTP ${res.status}`);
    newest = ((await res.json()) as { id: string }).id;
  }
  await seedAttachments(stack, token, newest);
  await seedAudit(stack, token);
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
    await shot.open?.(page);
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
      await page.screenshot({ path: file, fullPage: !shot.modal, animations: 'disabled' });
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
