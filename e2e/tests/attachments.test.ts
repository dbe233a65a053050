/**
 * Item attachments in the browser against the whole local stack (ADR 0173): the file is PUT from
 * the page straight to the local S3 server (s3rver) through the presigned URL, under the
 * production CSP; the progress bar reaches 100%, the image shows as a thumbnail, the download link
 * gives the same bytes, a type not allowed and a file one byte over the API’s ATTACHMENT_MAX_BYTES
 * are refused in plain words with nothing listed, and delete removes the file.
 */
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshots, type TestPage } from '../support/browser.ts';
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
const user = newUser('files');

// A real 1×1 PNG, padded after IEND (decoders stop there) so the upload takes several progress events.
const png = Buffer.concat([
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
    'base64',
  ),
  Buffer.alloc(512 * 1024, 7),
]);

useStackAndBrowser(async (s, b) => {
  stack = s;
  browser = b;
  tp = await newPage(browser);
  page = tp.page;
  await signUp(page, stack, user);
  await login(page, stack, user);
  await heading(page, 'Your items');
  await page.getByLabel('Title').fill('Holiday');
  await page.getByRole('button', { name: 'Add item' }).click();
  await page.getByText('Holiday', { exact: true }).waitFor();
});

describe('item attachments in the browser', () => {
  it('uploads an image with a progress bar to 100%, shows its thumbnail and downloads the same bytes', async () => {
    // Every value the progress bar shows, recorded in the page (it goes away when the upload is done).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        for (const p of document.querySelectorAll('progress')) seen.push(p.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByLabel('Attach a file to Holiday').setInputFiles({
      name: 'beach.png',
      mimeType: 'image/png',
      buffer: png,
    });
    const link = page.getByRole('link', { name: 'Download beach.png' });
    await link.waitFor();
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen).toContain(100);

    const thumb = page.getByRole('img', { name: 'Preview of beach.png' });
    await expect
      .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1);

    // The link works from the page's origin (CSP connect-src and the bucket's CORS) and gives the file back.
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(`${new URL(href).origin}/`)).toBe(true);
    const downloaded = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { status: res.status, bytes: Array.from(new Uint8Array(await res.arrayBuffer())) };
    }, href);
    expect(downloaded.status).toBe(200);
    expect(Buffer.from(downloaded.bytes).equals(png)).toBe(true);
    await screenshots(page, 'attachments');
  });

  it('refuses a file type that is not allowed with a clear error', async () => {
    await page.getByLabel('Attach a file to Holiday').setInputFiles({
      name: 'page.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<script>alert(1)</script>'),
    });
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('“page.html” is not a file type you can attach.');
    expect(await page.getByRole('link', { name: 'Download page.html' }).count()).toBe(0);
  });

  it('refuses a file one byte over the API’s limit, saying so, and lists nothing', async () => {
    // The limit this API runs with (ATTACHMENT_MAX_BYTES), as it states it in a presign answer.
    const token = (await storedAccessToken(page))!;
    const items = (await (await stack.callApi('/api/v1/items?limit=10&offset=0', token)).json()) as {
      items: { id: string }[];
    };
    const presign = await stack.callApi(`/api/v1/items/${items.items[0]!.id}/attachments/uploads`, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'probe.png', content_type: 'image/png', size: 1 }),
    });
    const { max_bytes: maxBytes } = (await presign.json()) as { max_bytes: number };
    expect(maxBytes).toBeGreaterThan(png.length);

    await page.getByLabel('Attach a file to Holiday').setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(maxBytes + 1, 7),
    });
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe(`“huge.png” is too big to attach. An attachment may have at most ${maxBytes} bytes.`);
    expect(await page.getByRole('link', { name: 'Download huge.png' }).count()).toBe(0);
    const listed = await stack.callApi(`/api/v1/items/${items.items[0]!.id}/attachments`, token);
    const names = ((await listed.json()) as { attachments: { name: string }[] }).attachments.map(
      (a) => a.name,
    );
    expect(names).toEqual(['beach.png']);
  });

  it('deletes the file, and the API agrees', async () => {
    await page.getByRole('button', { name: 'Delete file beach.png' }).click();
    await page.getByRole('link', { name: 'Download beach.png' }).waitFor({ state: 'detached' });
    const token = (await storedAccessToken(page))!;
    const items = (await (await stack.callApi('/api/v1/items?limit=10&offset=0', token)).json()) as {
      items: { id: string }[];
    };
    const res = await stack.callApi(`/api/v1/items/${items.items[0]!.id}/attachments`, token);
    expect(((await res.json()) as { attachments: unknown[] }).attachments).toEqual([]);
    expectNoBrowserErrors(tp.errors);
  });
});
