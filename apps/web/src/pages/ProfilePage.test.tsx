import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { httpStub, json } from '../../test/http-stub.ts';
import { renderApp } from '../../test/render.tsx';

const OLD = 'correct horse battery';
const NEW = 'a brand new passphrase';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A stand-in API: /users/me answers, /auth/sign-out-everywhere answers `logoutStatus`; every call is recorded. */
async function api(logoutStatus: number) {
  const calls: string[] = [];
  const stub = await httpStub((req, res) => {
    calls.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    if (req.url === '/api/v1/auth/sign-out-everywhere') return res.writeHead(logoutStatus).end();
    json(res, 200, {
      sub: 'sub-kim@example.com',
      username: 'sub-kim@example.com',
      email: 'kim@example.com',
      name: null,
      groups: [],
      created_at: new Date(0).toISOString(),
    });
  });
  close = stub.close;
  return { url: stub.url, calls };
}

async function changePassword(apiUrl: string) {
  const auth = new FakeAuthService();
  auth.addUser({ email: 'kim@example.com', password: OLD });
  await auth.signIn('kim@example.com', OLD);
  const before = auth.session!.accessToken;
  const { user } = renderApp(auth, '/profile', apiUrl);
  await screen.findByRole('heading', { name: 'Change password' });
  await user.type(screen.getByLabelText('Current password'), OLD);
  await user.type(screen.getByLabelText('New password'), NEW);
  await user.type(screen.getByLabelText('Confirm new password'), NEW);
  await user.click(screen.getByRole('button', { name: 'Change password' }));
  return { auth, before };
}

describe('profile: change password ends every other session (ADR 0070)', () => {
  it('signs out everywhere through the API with the old token, then carries on with a fresh session', async () => {
    const stub = await api(204);
    const { auth, before } = await changePassword(stub.url);
    await screen.findByText('Your password has been changed, and every other device has been signed out.');
    expect(auth.users.get('kim@example.com')!.password).toBe(NEW);
    expect(auth.endedEverywhere).toEqual(['api']);
    expect(stub.calls).toContain(`POST /api/v1/auth/sign-out-everywhere Bearer ${before}`);
    // Still signed in, on the new session.
    expect(auth.session!.accessToken).not.toBe(before);
    expect(screen.getByRole('heading', { name: 'Your profile' })).toBeInTheDocument();
  });

  it('falls back to Cognito and says so when the API cannot sign the other devices out', async () => {
    const stub = await api(503);
    const { auth } = await changePassword(stub.url);
    await screen.findByText(/could not reach the API, so theirs may keep working there for up to an hour/);
    expect(auth.endedEverywhere).toEqual(['cognito']);
    await waitFor(() => expect(auth.session).not.toBeNull());
  });
});

describe('profile: the sections at the top', () => {
  it('lists every section as a jump link, each to a heading on the page', async () => {
    const { url } = await api(204);
    const auth = new FakeAuthService();
    auth.addUser({ email: 'kim@example.com', password: OLD });
    await auth.signIn('kim@example.com', OLD);
    renderApp(auth, '/profile', url);
    await screen.findByRole('heading', { name: 'Delete account' });
    const nav = screen.getByRole('navigation', { name: 'Profile sections' });
    const links = [...nav.querySelectorAll('a')];
    expect(links.map((a) => a.textContent)).toEqual([
      'Name',
      'E-mail',
      'Password',
      'Sessions',
      'Devices',
      'Delete account',
    ]);
    for (const a of links) {
      const target = document.getElementById(a.getAttribute('href')!.slice(1));
      expect(target?.tagName, a.textContent!).toBe('H2');
    }
  });
});
