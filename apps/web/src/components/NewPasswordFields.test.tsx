import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { NewPasswordFields } from './NewPasswordFields.tsx';

type Props = Partial<Parameters<typeof NewPasswordFields>[0]>;

/** Holds the two values like the pages do. */
function Harness(props: Props) {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  return (
    <NewPasswordFields
      password={password}
      confirmation={confirmation}
      onPasswordChange={setPassword}
      onConfirmationChange={setConfirmation}
      {...props}
    />
  );
}

describe('NewPasswordFields', () => {
  it('labels two required new-password inputs, unnamed unless asked, with the rules read out with the first', () => {
    render(<Harness />);
    const password = screen.getByLabelText('New password');
    const confirmation = screen.getByLabelText('Confirm new password');
    for (const input of [password, confirmation]) {
      expect(input).toHaveAttribute('type', 'password');
      expect(input).toHaveAttribute('autocomplete', 'new-password');
      expect(input).toBeRequired();
      expect(input).not.toHaveAttribute('name');
    }
    const rules = screen.getByRole('list', { name: 'Password rules' });
    expect(password).toHaveAttribute('aria-describedby', rules.parentElement?.id);
    expect(confirmation).not.toHaveAttribute('aria-describedby');
  });

  it('ticks "Both passwords match" only once the confirmation equals a non-empty password', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const rules = screen.getByRole('list', { name: 'Password rules' });
    const match = () =>
      within(rules)
        .getByText(/Both passwords match/)
        .closest('li');
    expect(match()).toHaveClass('unmet');
    await user.type(screen.getByLabelText('New password'), 'a long passphrase');
    expect(match()).toHaveClass('unmet');
    await user.type(screen.getByLabelText('Confirm new password'), 'a long passphrase');
    expect(match()).toHaveClass('met');
    expect(screen.getByLabelText('New password')).toHaveValue('a long passphrase');
  });

  it('takes the labels, names and errors a page gives it', () => {
    render(
      <Harness
        label="Password"
        confirmLabel="Confirm password"
        name="password"
        confirmName="confirmPassword"
        error="Too weak."
        confirmError="Different."
      />,
    );
    const password = screen.getByLabelText('Password');
    const confirmation = screen.getByLabelText('Confirm password');
    expect(password).toHaveAttribute('name', 'password');
    expect(confirmation).toHaveAttribute('name', 'confirmPassword');
    expect(password).toBeInvalid();
    expect(password).toHaveAccessibleDescription(expect.stringContaining('Too weak.'));
    expect(confirmation).toHaveAccessibleDescription('Different.');
  });
});
