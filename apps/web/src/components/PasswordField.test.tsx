import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { NewPasswordFields } from './NewPasswordFields.tsx';

function Harness() {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  return (
    <NewPasswordFields
      password={password}
      confirmation={confirmation}
      onPasswordChange={setPassword}
      onConfirmationChange={setConfirmation}
      related={['ann@example.com']}
    />
  );
}

describe('new password fields: show toggle and strength meter', () => {
  it('shows and hides the password', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const input = screen.getByLabelText('New password');
    expect(input).toHaveAttribute('type', 'password');
    await user.click(screen.getByRole('button', { name: 'Show new password' }));
    expect(input).toHaveAttribute('type', 'text');
    await user.click(screen.getByRole('button', { name: 'Hide new password' }));
    expect(input).toHaveAttribute('type', 'password');
    // Still one field per label: the button's name is its content, not a label.
    expect(screen.getAllByLabelText(/password$/i)).toHaveLength(2);
  });

  it('rates a common password "Very weak" and a long passphrase "Strong"; says nothing when empty', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const input = screen.getByLabelText('New password');
    expect(screen.queryByText(/^Strength:/)).toBeNull();
    await user.type(input, 'Password1234');
    expect(await screen.findByText('Strength: Very weak')).toBeInTheDocument();
    expect(input).toHaveAccessibleDescription(/Strength: Very weak/);
    expect(screen.getByText('Not a commonly used password').closest('li')).toHaveClass('unmet');
    await user.clear(input);
    await user.type(input, 'violet kettle harbour 42 lanterns');
    expect(await screen.findByText('Strength: Strong')).toBeInTheDocument();
    await user.clear(input);
    expect(screen.queryByText(/^Strength:/)).toBeNull();
  });

  it('counts the e-mail against the password', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByLabelText('New password'), 'ann@example.com');
    expect(await screen.findByText(/Strength: (Very weak|Weak)/)).toBeInTheDocument();
  });
});
