import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeAuthService } from '../../../test/fake-auth.ts';
import { FAKE_CODE } from '../../../test/fake-factors.ts';
import { renderApp } from '../../../test/render.tsx';

const GOOD = 'correct horse battery';

async function securityPage() {
  const auth = new FakeAuthService();
  auth.addUser({ email: 'sam@example.com', password: GOOD });
  await auth.signIn('sam@example.com', GOOD);
  const view = renderApp(auth, '/security');
  await screen.findByRole('heading', { name: 'Sign-in security', level: 1 });
  // The factor sections appear once the factors have loaded.
  await screen.findByRole('region', { name: 'Passkeys' });
  return { auth, ...view };
}

const region = (name: string) => screen.getByRole('region', { name });

describe('security page', () => {
  it('adds an authenticator app with the QR code and key, refusing a wrong first code, then removes it', async () => {
    const { auth, user } = await securityPage();
    expect(
      await within(region('How you sign in')).findByText(/Only your password protects/),
    ).toBeInTheDocument();
    const app = region('Authenticator app');
    await user.click(within(app).getByRole('button', { name: 'Add an authenticator app' }));
    expect(
      await within(app).findByRole('img', { name: 'QR code for your authenticator app' }),
    ).toBeInTheDocument();
    expect(within(app).getByTestId('totp-secret')).toHaveTextContent(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );
    await user.type(within(app).getByLabelText('Code from the app'), '000000');
    await user.click(within(app).getByRole('button', { name: 'Turn on' }));
    expect(await within(app).findByRole('alert')).toHaveTextContent('That code is not right');
    await user.clear(within(app).getByLabelText('Code from the app'));
    await user.type(within(app).getByLabelText('Code from the app'), FAKE_CODE);
    await user.click(within(app).getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByText('Authenticator app turned on.')).toBeInTheDocument();
    expect(auth.factors.mfa.has('SOFTWARE_TOKEN_MFA')).toBe(true);
    expect(await within(region('How you sign in')).findByText(/second step/)).toBeInTheDocument();

    await user.click(within(region('Authenticator app')).getByRole('button', { name: 'Remove…' }));
    await user.click(within(region('Authenticator app')).getByRole('button', { name: 'Remove the app' }));
    expect(await screen.findByText('Authenticator app removed.')).toBeInTheDocument();
    expect(auth.factors.mfa.size).toBe(0);
  });

  it('turns codes by e-mail on as the preferred step, and off', async () => {
    const { auth, user } = await securityPage();
    const mail = region('Codes by e-mail');
    await user.click(within(mail).getByRole('button', { name: 'Use codes by e-mail' }));
    expect(await screen.findByText('Codes by e-mail turned on.')).toBeInTheDocument();
    expect(auth.factors.preferred).toBe('EMAIL_OTP');
    await user.click(within(mail).getByRole('button', { name: 'Turn off codes by e-mail' }));
    expect(await screen.findByText('Codes by e-mail turned off.')).toBeInTheDocument();
    expect(auth.factors.mfa.size).toBe(0);
  });

  it('adds and removes a passkey, and says so when passkeys are off', async () => {
    const { auth, user } = await securityPage();
    const keys = region('Passkeys');
    expect(await within(keys).findByText('No passkeys yet.')).toBeInTheDocument();
    await user.click(within(keys).getByRole('button', { name: 'Add a passkey' }));
    expect(await screen.findByText('Passkey added.')).toBeInTheDocument();
    await user.click(await within(keys).findByRole('button', { name: /^Remove Passkey/ }));
    expect(await screen.findByText('Passkey removed.')).toBeInTheDocument();
    expect(auth.factors.keys).toEqual([]);
    auth.factors.passkeysOn = false;
    await user.click(within(keys).getByRole('button', { name: 'Add a passkey' }));
    expect(await within(keys).findByRole('alert')).toHaveTextContent(
      'Passkeys are not turned on for this app.',
    );
  });

  it('shows only what the pool offers: no e-mail codes or passkeys against the shared definition', async () => {
    const auth = new FakeAuthService();
    auth.signInOptions = { emailMfa: false, choiceSignIn: false };
    auth.addUser({ email: 'sam@example.com', password: GOOD });
    await auth.signIn('sam@example.com', GOOD);
    renderApp(auth, '/security');
    await screen.findByRole('region', { name: 'Authenticator app' });
    expect(screen.queryByRole('region', { name: 'Codes by e-mail' })).toBeNull();
    expect(screen.queryByRole('region', { name: 'Passkeys' })).toBeNull();
    expect(within(region('How you sign in')).queryByText('Passkeys')).toBeNull();
    // Recovery advice names only what this app offers.
    const recovery = region('If you lose a device');
    expect(within(recovery).queryByText(/passkey|by e-mail/i)).toBeNull();
    expect(within(recovery).getByText(/Ask an administrator to reset/)).toBeInTheDocument();
  });

  it('explains recovery when a device is lost', async () => {
    await securityPage();
    const recovery = region('If you lose a device');
    expect(within(recovery).getByText(/Ask an administrator to reset/)).toBeInTheDocument();
    expect(
      within(recovery).getByText(/an authenticator app and a passkey or codes by e-mail/),
    ).toBeInTheDocument();
  });
});
