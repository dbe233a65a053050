import type { Device } from '@app/api-contract';
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../../test/fake-auth.ts';
import { httpStub, json } from '../../../test/http-stub.ts';
import { renderApp } from '../../../test/render.tsx';
import { deviceLabel } from './DevicesSection.tsx';

const PASSWORD = 'correct horse battery';
const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const device = (key: string, name: string | null, current = false): Device => ({
  device_key: `us-east-1_${key}`,
  name,
  remembered: false,
  created_at: new Date(Date.UTC(2026, 10, 1)).toISOString(),
  last_signed_in_at: new Date(Date.UTC(2026, 10, 29)).toISOString(),
  current,
});

/** The profile page against a scripted API: `devices` is what GET /users/me/devices answers now. */
async function profile(opts: { devices: Device[] | 'fail'; deviceKey?: string; deleteStatus?: number }) {
  let devices = opts.devices;
  const deletes: string[] = [];
  const stub = await httpStub((req, res) => {
    if (req.url === '/api/v1/users/me/devices') {
      if (devices === 'fail')
        return json(res, 503, { title: 'The identity provider is unavailable.', status: 503 });
      return json(res, 200, { devices });
    }
    if (req.method === 'DELETE' && req.url?.startsWith('/api/v1/users/me/devices/')) {
      const key = decodeURIComponent(req.url.split('/').pop()!);
      deletes.push(key);
      if (opts.deleteStatus)
        return json(res, opts.deleteStatus, { title: 'No such device of yours.', status: opts.deleteStatus });
      if (Array.isArray(devices)) devices = devices.filter((d) => d.device_key !== key);
      return res.writeHead(204).end();
    }
    json(res, 200, {
      sub: 's',
      username: 's',
      email: 'kim@example.com',
      name: null,
      groups: [],
      created_at: new Date(0).toISOString(),
    });
  });
  close = stub.close;
  const auth = new FakeAuthService();
  auth.deviceKey = opts.deviceKey;
  auth.addUser({ email: 'kim@example.com', password: PASSWORD, name: 'Kim' });
  await auth.signIn('kim@example.com', PASSWORD);
  const view = renderApp(auth, '/profile', stub.url);
  await screen.findByRole('heading', { name: 'Signed-in devices' });
  return { deletes, section: () => screen.getByRole('region', { name: 'Signed-in devices' }), ...view };
}

describe('profile: signed-in devices (ADR 0167)', () => {
  it('lists the devices with this one marked, and signs another out only after confirming', async () => {
    const { deletes, section, user } = await profile({
      deviceKey: 'us-east-1_aaaa',
      devices: [device('aaaa', CHROME_LINUX, true), device('bbbb', SAFARI_IPHONE)],
    });
    const items = await within(section()).findAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/^Chrome on Linux This deviceLast used /),
      expect.stringMatching(/^Safari on iOS Last used .*Sign out…$/),
    ]);
    // No sign-out for the device in hand: that is the header's "Sign out".
    expect(within(items[0]!).queryByRole('button')).toBeNull();

    await user.click(within(items[1]!).getByRole('button', { name: /^Sign out Safari on iOS, last used/ }));
    expect(within(section()).getByText(/Sign out Safari on iOS\? It must sign in/)).toBeInTheDocument();
    await user.click(within(section()).getByRole('button', { name: 'Cancel' }));
    expect(deletes).toEqual([]);

    await user.click(within(section()).getByRole('button', { name: /^Sign out Safari on iOS/ }));
    await user.click(within(section()).getByRole('button', { name: 'Sign out this device' }));
    expect(await screen.findByText('Safari on iOS has been signed out.')).toBeInTheDocument();
    expect(deletes).toEqual(['us-east-1_bbbb']);
    await waitFor(() => expect(within(section()).getAllByRole('listitem')).toHaveLength(1));
    expect(within(section()).getByRole('listitem')).toHaveTextContent(/^Chrome on Linux This device/);
  });

  it('says plainly that the pool does not track devices when there are none and this sign-in has no device', async () => {
    const { section } = await profile({ devices: [] });
    expect(await within(section()).findByText(/This app does not keep track of devices/)).toBeInTheDocument();
    expect(within(section()).queryByRole('list')).toBeNull();
  });

  it('shows why the list or a sign-out failed, and keeps the device listed', async () => {
    const failing = await profile({ devices: 'fail' });
    expect(await within(failing.section()).findByRole('alert')).toHaveTextContent(
      'The identity provider is unavailable.',
    );
    failing.unmount();
    await close?.();

    const { deletes, section, user } = await profile({
      deviceKey: 'us-east-1_aaaa',
      devices: [device('aaaa', CHROME_LINUX, true), device('bbbb', 'Firefox on the laptop')],
      deleteStatus: 404,
    });
    await user.click(
      await within(section()).findByRole('button', { name: /^Sign out Firefox on the laptop/ }),
    );
    await user.click(within(section()).getByRole('button', { name: 'Sign out this device' }));
    expect(await within(section()).findByRole('alert')).toHaveTextContent('No such device of yours.');
    expect(deletes).toEqual(['us-east-1_bbbb']);
    expect(within(section()).getByText('Firefox on the laptop')).toBeInTheDocument();
  });
});

describe('deviceLabel', () => {
  it('names a browser by its user agent, and leaves other names alone', () => {
    expect(deviceLabel(CHROME_LINUX)).toBe('Chrome on Linux');
    expect(deviceLabel(SAFARI_IPHONE)).toBe('Safari on iOS');
    expect(
      deviceLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'),
    ).toBe('Firefox on Windows');
    expect(deviceLabel('My phone')).toBe('My phone');
    expect(deviceLabel(null)).toBe('Unnamed device');
  });
});
