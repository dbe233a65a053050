import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../../test/fake-auth.ts';
import { FAKE_CODE } from '../../../test/fake-factors.ts';
import { renderApp } from '../../../test/render.tsx';

const GOOD = 'correct horse battery';
const location = () => screen.getByTestId('location').textContent;

describe('sign-in steps after the password', () => {
  it('asks for the authenticator code, keeps the step after a wrong one, then signs in', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'sam@example.com', password: GOOD, mfa: 'SOFTWARE_TOKEN_MFA' });
    const { user } = renderApp(auth, '/sign-in');
    await screen.findByRole('heading', { name: 'Sign in' });
    await user.type(screen.getByLabelText('E-mail'), 'sam@example.com');
    await user.type(screen.getByLabelText('Password'), GOOD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByRole('heading', { name: 'Enter your app code' });
    expect(auth.session).toBeNull();
    // The app's own message for a short code, no browser bubble.
    await user.type(screen.getByLabelText('Code from the app'), '12');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter the 6-digit code.');
    await user.clear(screen.getByLabelText('Code from the app'));
    await user.type(screen.getByLabelText('Code from the app'), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Check your authenticator app');
    await user.clear(screen.getByLabelText('Code from the app'));
    await user.type(screen.getByLabelText('Code from the app'), FAKE_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    await screen.findByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(location()).toBe('/'));
  });

  it('"Start again" goes back to the e-mail and password', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'eve@example.com', password: GOOD, mfa: 'EMAIL_OTP' });
    const { user } = renderApp(auth, '/sign-in');
    await screen.findByRole('heading', { name: 'Sign in' });
    await user.type(screen.getByLabelText('E-mail'), 'eve@example.com');
    await user.type(screen.getByLabelText('Password'), GOOD);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Enter your sign-in code' });
    expect(screen.getByText('We e-mailed a sign-in code to s***@e***.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start again' }));
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.getByLabelText('E-mail')).toHaveValue('eve@example.com');
    expect(screen.getByLabelText('Password')).toHaveValue('');
  });

  it('offers no other way when the pool has no USER_AUTH for this client', async () => {
    const auth = new FakeAuthService();
    auth.signInOptions = { emailMfa: false, choiceSignIn: false };
    renderApp(auth, '/sign-in');
    await screen.findByRole('heading', { name: 'Sign in' });
    expect(screen.queryByRole('button', { name: 'Use a passkey or an e-mailed code' })).toBeNull();
  });

  it('another way: an e-mailed code signs in without the password; an empty address is asked for first', async () => {
    const auth = new FakeAuthService();
    auth.addUser({ email: 'pat@example.com', password: GOOD });
    const { user } = renderApp(auth, '/sign-in');
    await screen.findByRole('heading', { name: 'Sign in' });
    const another = screen.getByRole('button', { name: 'Use a passkey or an e-mailed code' });
    await user.click(another);
    expect(await screen.findByRole('alert')).toHaveTextContent('Fill in “E-mail” first');
    await user.type(screen.getByLabelText('E-mail'), 'pat@example.com');
    await user.click(another);
    await screen.findByRole('heading', { name: 'Enter your sign-in code' });
    await user.type(screen.getByLabelText('Sign-in code'), FAKE_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify and sign in' }));
    await screen.findByRole('navigation', { name: 'Main' });
  });
});
