/**
 * Issue 15's "sign out this one" in Chromium (ADR 0167): with device tracking on for this test's
 * pool, two browsers sign in (amazon-cognito-identity-js confirms each as a device), the profile
 * lists both with "This device" on the first's own, and signing the other out from the first makes
 * the API refuse the other's token at once and sends the other browser to sign in.
 */
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, PHONE, screenshots } from '../support/browser.ts';
import { trackDevices } from '../support/device-tracking.ts';
import {
  claims,
  expectNoBrowserErrors,
  heading,
  login,
  storedAccessToken,
  useStackAndBrowser,
} from '../support/fixtures.ts';
import type { Stack } from '../support/stack.ts';

const owner = {
  email: 'two-devices@example.com',
  password: 'a passphrase for two devices',
  name: 'Dee Vice',
};
let stack: Stack;
let browser: Browser;

useStackAndBrowser(
  async (s, b) => {
    stack = s;
    browser = b;
    await trackDevices(stack);
  },
  { users: [owner] },
);

describe('signed-in devices', () => {
  it('lists both browsers and signs the other one out from the first', async () => {
    const laptop = await newPage(browser);
    const phone = await newPage(browser, PHONE);
    await login(laptop.page, stack, owner);
    await login(phone.page, stack, owner);
    const laptopKey = claims((await storedAccessToken(laptop.page))!).device_key;
    const phoneToken = (await storedAccessToken(phone.page))!;
    const phoneKey = claims(phoneToken).device_key;
    expect(typeof laptopKey).toBe('string');
    expect(typeof phoneKey).toBe('string');
    expect(phoneKey).not.toBe(laptopKey);

    await laptop.page.goto(`${stack.webUrl}/profile`);
    await heading(laptop.page, 'Your profile');
    const devices = laptop.page.getByRole('region', { name: 'Signed-in devices' });
    const rows = devices.getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(2);
    // Only the laptop's own row has the badge, and only the other row has "Sign out…".
    const mine = rows.filter({ hasText: 'This device' });
    expect(await mine.count()).toBe(1);
    expect(await mine.getByRole('button').count()).toBe(0);
    const other = rows.filter({ hasNotText: 'This device' });
    expect(await other.textContent()).toMatch(/^Chrome on Linux\s*Last used /);
    await screenshots(laptop.page, 'profile-devices');

    const api = await stack.callApi('/api/v1/users/me/devices', phoneToken);
    const listed = ((await api.json()) as { devices: { device_key: string; current: boolean }[] }).devices;
    expect(listed.map((d) => [d.device_key, d.current]).sort()).toEqual(
      [
        [laptopKey, false],
        [phoneKey, true],
      ].sort(),
    );

    await other.getByRole('button', { name: /^Sign out Chrome on Linux/ }).click();
    await devices.getByText(/It must sign in with the password again/).waitFor();
    await screenshots(laptop.page, 'profile-devices-confirm');
    await devices.getByRole('button', { name: 'Sign out this device' }).click();
    await laptop.page.getByText('Chrome on Linux has been signed out.').waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('This device');

    // The phone's token is refused by the API at once, on a route that never asks the IdP.
    const refused = await stack.callApi('/api/v1/users/me', phoneToken);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    // The phone's next call fails, its refresh is refused, and it is sent to sign in.
    await phone.page.getByLabel('Title').fill('Should not be saved');
    await phone.page.getByRole('button', { name: 'Add item' }).click();
    await heading(phone.page, 'Sign in');
    expect(await storedAccessToken(phone.page)).toBeNull();

    // The laptop carries on.
    const laptopToken = (await storedAccessToken(laptop.page))!;
    expect((await stack.callApi('/api/v1/users/me', laptopToken)).status).toBe(200);
    expectNoBrowserErrors(laptop.errors);
    await laptop.context.close();
    await phone.context.close();
  });
});
