import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../test/fake-auth.ts';
import { renderApp } from '../../test/render.tsx';

const GOOD = 'correct horse battery';

function location() {
  return screen.getByTestId('location').textContent;
}

describe('sign up, confirm, sign in', () => {
  it('shows the password rules live and walks through to the dashboard', async () => {
    const auth = new FakeAuthService();
    const { user } = renderApp(auth, '/sign-up');
    await screen.findByRole('heading', { name: 'Create an account' });

    const password = screen.getByLabelText('Password');
    const lengthRule = () => screen.getByText(/At least 12 characters/).closest('li')!;
    expect(lengthRule()).toHaveClass('unmet');
    await user.type(password, 'short');
    expect(lengthRule()).toHaveClass('unmet');
    await user.type(password, ' but long now');
    expect(lengthRule()).toHaveClass('met');

    await user.type(screen.getByLabelText('First name'), 'Ann');
    await user.type(screen.getByLabelText('Last name'), 'Example');
    await user.click(screen.getByLabelText('I accept the terms of service'));
    await user.type(screen.getByLabelText('E-mail'), 'Ann@Example.com');
    await user.type(screen.getByLabelText('Confirm password'), 'something else');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The two passwords are different.');
    expect(auth.users.size).toBe(0);

    await user.clear(screen.getByLabelText('Confirm password'));
    await user.type(screen.getByLabelText('Confirm password'), 'short but long now');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await screen.findByRole('heading', { name: 'Confirm your e-mail' });
    expect(location()).toBe('/confirm?email=ann%40example.com');
    expect(screen.getByLabelText('E-mail')).toHaveValue('ann@example.com');
    // Straight from the sign-up form the password is already known: no field for it.
    expect(screen.queryByLabelText('Password')).toBeNull();

    await user.type(screen.getByLabelText('Confirmation code'), '000000');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The code is invalid or has expired.');

    await user.click(screen.getByRole('button', { name: 'Send a new code' }));
    expect(await screen.findByText('We sent a new code. Check your e-mail.')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Confirmation code'));
    await user.type(screen.getByLabelText('Confirmation code'), auth.codes.get('ann@example.com')!);
    await user.click(screen.getByRole('button', { name: 'Confirm' }));

    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.getByText('Your e-mail address is confirmed. Sign in.')).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail')).toHaveValue('ann@example.com');
    await user.type(screen.getByLabelText('Password'), 'short but long now');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('heading', { name: 'Your items' });
    expect(location()).toBe('/');
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
  });

  it('says a wrong password in plain words and moves focus to the message', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'bob@example.com', password: GOOD });
    const { user } = renderApp(auth, '/sign-in');
    await user.type(await screen.findByLabelText('E-mail'), 'bob@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password!!');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The e-mail address or password is not right.');
    expect(alert).toHaveFocus();
    expect(auth.session).toBeNull();
  });

  it('asks for the password on a confirm page opened later, and refuses a code with the wrong one', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'eve@example.com', password: GOOD, confirmed: false });
    auth.codes.set('eve@example.com', '246810');
    const { user } = renderApp(auth, '/confirm?email=eve%40example.com');
    await screen.findByRole('heading', { name: 'Confirm your e-mail' });
    const password = screen.getByLabelText('Password');
    expect(password).toHaveAttribute('type', 'password');
    expect(password).toHaveAccessibleDescription('The password you chose when you signed up.');

    await user.type(screen.getByLabelText('Confirmation code'), '246810');
    await user.type(password, 'not the password at all');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The code is invalid or has expired.');
    expect(auth.users.get('eve@example.com')!.confirmed).toBe(false);

    await user.clear(password);
    await user.type(password, GOOD);
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(auth.users.get('eve@example.com')!.confirmed).toBe(true);
  });

  it('offers the confirmation page to an unconfirmed user', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'cy@example.com', password: GOOD, confirmed: false });
    const { user } = renderApp(auth, '/sign-in');
    await user.type(await screen.findByLabelText('E-mail'), 'cy@example.com');
    await user.type(screen.getByLabelText('Password'), GOOD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const link = await screen.findByRole('link', { name: 'Confirm your e-mail' });
    expect(link).toHaveAttribute('href', '/confirm?email=cy%40example.com');
  });

  it('asks for a new password when Cognito requires one, then signs in', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'dee@example.com', password: 'temporary-pass-1', mustChangePassword: true });
    const { user } = renderApp(auth, '/sign-in');
    await user.type(await screen.findByLabelText('E-mail'), 'dee@example.com');
    await user.type(screen.getByLabelText('Password'), 'temporary-pass-1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Choose a new password' });
    await user.type(screen.getByLabelText('New password'), GOOD);
    await user.type(screen.getByLabelText('Confirm new password'), GOOD);
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    await screen.findByRole('heading', { name: 'Your items' });
    expect(auth.users.get('dee@example.com')!.password).toBe(GOOD);
  });
});

describe('route guard', () => {
  it('sends a signed-out visitor to sign-in and back to the page they asked for', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'eve@example.com', password: GOOD });
    const { user } = renderApp(auth, '/admin?tab=users');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(location()).toBe('/sign-in');
    await user.type(screen.getByLabelText('E-mail'), 'eve@example.com');
    await user.type(screen.getByLabelText('Password'), GOOD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Administration' });
    expect(location()).toBe('/admin?tab=users');
    // eve is not in the admin group.
    expect(screen.getByRole('heading', { name: 'Not allowed' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
  });

  it('keeps a restored session across a reload (no sign-in page)', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'fay@example.com', password: GOOD, groups: ['admin'] });
    await auth.signIn('fay@example.com', GOOD);
    renderApp(auth, '/profile');
    await screen.findByRole('heading', { name: 'Your profile' });
    expect(screen.getByRole('link', { name: 'Admin' })).toBeInTheDocument();
  });
});

describe('forgot and reset password', () => {
  it('sends a code, then sets the new password and returns to sign-in', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'gus@example.com', password: GOOD });
    const { user } = renderApp(auth, '/sign-in');
    await user.click(await screen.findByRole('link', { name: 'Forgot your password?' }));
    await screen.findByRole('heading', { name: 'Reset your password' });
    await user.type(screen.getByLabelText('E-mail'), 'gus@example.com');
    await user.click(screen.getByRole('button', { name: 'Send code' }));
    await screen.findByRole('heading', { name: 'Choose a new password' });
    expect(screen.getByLabelText('E-mail')).toHaveValue('gus@example.com');
    await user.type(screen.getByLabelText('Code'), auth.codes.get('gus@example.com')!);
    await user.type(screen.getByLabelText('New password'), 'a brand new passphrase');
    await user.type(screen.getByLabelText('Confirm new password'), 'a brand new passphrase');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    await screen.findByText('Your password has been changed. Sign in with it.');
    expect(auth.users.get('gus@example.com')!.password).toBe('a brand new passphrase');
  });
});

describe('token refresh', () => {
  it('refreshes ahead of expiry and stays signed in', async () => {
    const auth = new FakeAuthService();
    auth.tokenLifetimeMs = 400;
    auth.addUser({ email: 'hal@example.com', password: GOOD });
    await auth.signIn('hal@example.com', GOOD);
    renderApp(auth, '/profile');
    await screen.findByRole('heading', { name: 'Your profile' });
    await waitFor(() => expect(auth.refreshCount).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    expect(screen.getByRole('heading', { name: 'Your profile' })).toBeInTheDocument();
  });

  it('signs out with a notice when the refresh is refused', async () => {
    const auth = new FakeAuthService();
    auth.tokenLifetimeMs = 400;
    auth.refreshFails = true;
    auth.addUser({ email: 'ivy@example.com', password: GOOD });
    await auth.signIn('ivy@example.com', GOOD);
    renderApp(auth, '/profile');
    await screen.findByRole('heading', { name: 'Sign in' }, { timeout: 5000 });
    expect(screen.getByText('Your session has ended. Please sign in again.')).toBeInTheDocument();
  });
});
