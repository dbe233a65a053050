import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { httpStub, json } from '../../test/http-stub.ts';
import { renderApp } from '../../test/render.tsx';

const GOOD = 'correct horse battery';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('messages the auth pages show', () => {
  it('drops "We sent a new code" once the next attempt fails', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'eve@example.com', password: GOOD, confirmed: false });
    const { user } = renderApp(auth, '/confirm?email=eve%40example.com');
    await user.click(await screen.findByRole('button', { name: 'Send a new code' }));
    await screen.findByText('We sent a new code. Check your e-mail.');
    await user.type(screen.getByLabelText('Confirmation code'), '000000');
    await user.type(screen.getByLabelText('Password'), GOOD);
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await screen.findByRole('alert');
    expect(screen.queryByText('We sent a new code. Check your e-mail.')).toBeNull();
  });

  it('keeps saying the account is locked when the next wrong password gets the plain answer', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'lou@example.com', password: GOOD });
    auth.lockedOut.add('lou@example.com');
    const { user } = renderApp(auth, '/sign-in');
    await user.type(await screen.findByLabelText('E-mail'), 'lou@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password!!');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const locked = (await screen.findByRole('alert')).textContent;
    expect(locked).toMatch(/locked/);
    expect(locked).not.toMatch(/few minutes/);

    // The lock has run out; Cognito answers the next wrong password plainly (and locks again).
    auth.lockedOut.delete('lou@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled());
    expect(screen.getByRole('alert')).toHaveTextContent(/locked/);
    expect(screen.getByRole('alert')).not.toHaveTextContent('The e-mail address or password is not right.');

    // Another account's wrong password is not called locked.
    await user.clear(screen.getByLabelText('E-mail'));
    await user.type(screen.getByLabelText('E-mail'), 'someone@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent('The e-mail address or password is not right.'),
    );
  });

  it("uses the app's own words instead of the browser's validation bubbles", async () => {
    const auth = new FakeAuthService();
    const { user } = renderApp(auth, '/sign-in');
    const email = await screen.findByLabelText('E-mail');
    expect(email.closest('form')).toHaveAttribute('novalidate');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Fill in “E-mail”.');
    expect(email).toHaveFocus();
    await user.type(email, 'not-an-address');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Enter an e-mail address such as ann@example.com.');
    await user.clear(email);
    await user.type(email, 'ann@example.com');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Fill in “Password”.');
    expect(screen.getByLabelText('Password')).toHaveFocus();
  });

  it('shows no tick under an empty password', async () => {
    renderApp(new FakeAuthService(), '/sign-up');
    const rules = await screen.findByRole('list', { name: 'Password rules' });
    expect(within(rules).queryAllByText('✓')).toEqual([]);
    expect(rules.querySelectorAll('li.met')).toHaveLength(0);
  });

  it('says where the code is when the pool is the local IdP, and only then', async () => {
    const local = new FakeAuthService();
    local.mailbox = 'http://127.0.0.1:9339/_dev/mailbox';
    const view = renderApp(local, '/confirm?email=eve%40example.com');
    const link = await screen.findByRole('link', { name: "local IdP's dev mailbox" });
    const href = new URL(link.getAttribute('href')!);
    expect(`${href.origin}${href.pathname}`).toBe('http://127.0.0.1:9339/_dev/mailbox');
    expect(href.searchParams.get('to')).toBe('eve@example.com');
    // The mailbox's "Back to the app" returns to this page.
    expect(href.searchParams.get('back')).toBe(`${window.location.origin}/confirm?email=eve%40example.com`);
    view.unmount();
    renderApp(new FakeAuthService(), '/confirm?email=eve%40example.com');
    await screen.findByRole('heading', { name: 'Confirm your e-mail' });
    expect(screen.queryByText(/Running locally/)).toBeNull();
  });
});

describe('admin: disabling a user', () => {
  /** A user as the admin API lists it: enabled, never seen. */
  const row = (email: string, status = 'CONFIRMED') => ({
    username: email,
    sub: `sub-${email}`,
    email,
    name: null,
    status,
    enabled: true,
    created_at: new Date(0).toISOString(),
    last_seen_at: null,
  });
  /** Signs in an admin and opens /admin against the API at `apiUrl`. */
  const renderAdminPage = async (apiUrl: string) => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'pat@example.com', password: GOOD, groups: ['admin'] });
    await auth.signIn('pat@example.com', GOOD);
    return renderApp(auth, '/admin', apiUrl);
  };

  it('asks before disabling, and shows UNCONFIRMED unlike CONFIRMED', async () => {
    const calls: string[] = [];
    const stub = await httpStub((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      if (req.url?.startsWith('/api/v1/admin/users?'))
        return json(res, 200, {
          users: [row('new@example.com', 'UNCONFIRMED'), row('old@example.com', 'CONFIRMED')],
          next_token: null,
          estimated_total: 2,
        });
      if (req.url === '/api/v1/admin/groups') return json(res, 200, { groups: [] });
      return res.writeHead(204).end();
    });
    close = stub.close;
    const { user } = await renderAdminPage(stub.url);

    const unconfirmed = await screen.findByText('Unconfirmed');
    expect(unconfirmed.className).not.toBe(screen.getByText('Confirmed').className);

    const openMenu = () => user.click(screen.getByRole('button', { name: 'Actions for old@example.com' }));
    await openMenu();
    await user.click(screen.getByRole('button', { name: 'Disable…' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable old@example.com?' });
    expect(within(dialog).getByText(/They can no longer sign in/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);

    await openMenu();
    await user.click(screen.getByRole('button', { name: 'Disable…' }));
    await user.click(screen.getByRole('button', { name: 'Yes, disable' }));
    expect(await screen.findByText('Disabled')).toBeInTheDocument();
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([
      'POST /api/v1/admin/users/old%40example.com/disable',
    ]);
  });

  it('after "Load more users" puts focus on the first user it brought, not the page', async () => {
    const stub = await httpStub((req, res) => {
      if (req.url?.startsWith('/api/v1/admin/users?')) {
        const second = new URL(req.url, 'http://x').searchParams.get('next_token') === 'page-2';
        return json(res, 200, {
          users: second
            ? [row('c@example.com'), row('d@example.com')]
            : [row('a@example.com'), row('b@example.com')],
          next_token: second ? null : 'page-2',
          estimated_total: 4,
        });
      }
      if (req.url === '/api/v1/admin/groups') return json(res, 200, { groups: [] });
      return res.writeHead(204).end();
    });
    close = stub.close;
    const { user } = await renderAdminPage(stub.url);

    await user.click(await screen.findByRole('button', { name: 'Load more users' }));
    await screen.findByText('c@example.com');
    // The button is gone (the last page): focus is on the first new row, where reading goes on.
    expect(screen.queryByRole('button', { name: 'Load more users' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toHaveAttribute('data-username', 'c@example.com'));
    expect(screen.getByText('4 shown of about 4 users in the pool')).toBeInTheDocument();
  });
});
