import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../../test/fake-auth.ts';
import { httpStub, json } from '../../../test/http-stub.ts';
import { renderApp } from '../../../test/render.tsx';
import { ACCOUNT_DELETED } from './DeleteAccountSection.tsx';

const PASSWORD = 'correct horse battery';
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function profile() {
  const calls: string[] = [];
  const stub = await httpStub((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    if (req.method === 'DELETE') return res.writeHead(204).end();
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
  auth.addUser({ email: 'kim@example.com', password: PASSWORD, name: 'Kim' });
  auth.addUser({ email: 'taken@example.com', password: PASSWORD });
  await auth.signIn('kim@example.com', PASSWORD);
  const view = renderApp(auth, '/profile', stub.url);
  await screen.findByRole('heading', { name: 'Name' });
  return { auth, calls, ...view };
}

const section = (name: string) => screen.getByRole('region', { name });

describe('profile: account self-service (ADR 0132)', () => {
  it('saves a new name and says so in a toast', async () => {
    const { auth, user } = await profile();
    const field = within(section('Name')).getByLabelText('Name');
    await user.clear(field);
    await user.click(within(section('Name')).getByRole('button', { name: 'Save name' }));
    expect(await within(section('Name')).findByText('Fill in “Name”.')).toBeInTheDocument();
    await user.type(field, 'Kim Lee');
    await user.click(within(section('Name')).getByRole('button', { name: 'Save name' }));
    expect(await screen.findByText('Name saved.')).toBeInTheDocument();
    expect(auth.users.get('kim@example.com')!.name).toBe('Kim Lee');
  });

  it('changes the e-mail only with the code; a wrong code keeps what was typed and the old address', async () => {
    const { auth, user } = await profile();
    const email = section('E-mail address');
    await user.type(within(email).getByLabelText('New e-mail address'), 'taken@example.com');
    await user.click(within(email).getByRole('button', { name: 'Change e-mail' }));
    expect(await within(email).findByRole('alert')).toHaveTextContent(
      'Another account already uses this e-mail address.',
    );
    expect(within(email).getByLabelText('New e-mail address')).toHaveValue('taken@example.com');

    await user.clear(within(email).getByLabelText('New e-mail address'));
    await user.type(within(email).getByLabelText('New e-mail address'), 'Kim.New@Example.com');
    await user.click(within(email).getByRole('button', { name: 'Change e-mail' }));
    expect(
      await within(email).findByText(/Until you enter it, you keep signing in with kim@example.com/),
    ).toBeInTheDocument();
    await user.type(within(email).getByLabelText('Code from the new address'), '999999');
    await user.click(within(email).getByRole('button', { name: 'Confirm new address' }));
    expect(await within(email).findByRole('alert')).toHaveTextContent('That code is not right.');
    expect(within(email).getByLabelText('Code from the new address')).toHaveValue('999999');
    expect(auth.session!.user.email).toBe('kim@example.com');

    await user.clear(within(email).getByLabelText('Code from the new address'));
    await user.type(within(email).getByLabelText('Code from the new address'), '222222');
    await user.click(within(email).getByRole('button', { name: 'Confirm new address' }));
    expect(await screen.findByText('Your e-mail address is now kim.new@example.com.')).toBeInTheDocument();
    await waitFor(() =>
      expect(within(section('E-mail address')).getByText('kim.new@example.com')).toBeInTheDocument(),
    );
    expect(auth.session!.user.email).toBe('kim.new@example.com');
  });

  it('deletes the account through the API only after the address is typed, then shows the sign-in page with a notice', async () => {
    const { auth, calls, user } = await profile();
    await user.click(screen.getByRole('button', { name: 'Delete account…' }));
    const zone = section('Delete account');
    await user.type(within(zone).getByLabelText('Type your e-mail address to confirm'), 'someone@else.com');
    await user.click(within(zone).getByRole('button', { name: 'Delete my account' }));
    expect(await within(zone).findByRole('alert')).toHaveTextContent('nothing has been deleted');
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual([]);
    await user.clear(within(zone).getByLabelText('Type your e-mail address to confirm'));
    await user.type(within(zone).getByLabelText('Type your e-mail address to confirm'), 'KIM@example.com');
    await user.click(within(zone).getByRole('button', { name: 'Delete my account' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByText(ACCOUNT_DELETED)).toBeInTheDocument();
    // Through the API (ADR 0150), which also refuses the tokens already issued; the local session is gone.
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual(['DELETE /api/v1/users/me']);
    expect(auth.session).toBeNull();
  });
});

describe('sign-in: keep me signed in', () => {
  it('is on by default, and unticking it asks for a session that ends with the tab', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'kim@example.com', password: PASSWORD });
    const { user } = renderApp(auth, '/sign-in');
    await screen.findByRole('heading', { name: 'Sign in' });
    const keep = screen.getByRole('checkbox', { name: 'Keep me signed in' });
    expect(keep).toBeChecked();
    await user.click(keep);
    await user.type(screen.getByLabelText('E-mail'), 'kim@example.com');
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('navigation', { name: 'Main' });
    expect(auth.keepsSignedIn()).toBe(false);
  });
});
