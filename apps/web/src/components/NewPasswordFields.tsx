import { PasswordField } from './PasswordField.tsx';
import { PasswordHints } from './PasswordHints.tsx';
import { PasswordStrength } from './PasswordStrength.tsx';

interface NewPasswordFieldsProps {
  password: string;
  confirmation: string;
  onPasswordChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  /** Label of the first input; "New password" unless the page says otherwise. */
  label?: string;
  /** Label of the second input; "Confirm new password" unless the page says otherwise. */
  confirmLabel?: string;
  /** Form names of the two inputs, for the pages whose inputs have one. */
  name?: string;
  confirmName?: string;
  /** Problems shown under each input (see Field's error). */
  error?: string | null;
  confirmError?: string | null;
  /** The user's e-mail or name: the strength meter counts them against the password. */
  related?: string[];
}

/**
 * A new password and its confirmation, both `autocomplete="new-password"` so password managers offer
 * to generate one, with a strength meter and the live checklist of the pool's rules (including "both match") under
 * the first; each has a show-password toggle.
 */
export function NewPasswordFields({
  password,
  confirmation,
  onPasswordChange,
  onConfirmationChange,
  label = 'New password',
  confirmLabel = 'Confirm new password',
  name,
  confirmName,
  error,
  confirmError,
  related,
}: NewPasswordFieldsProps) {
  return (
    <>
      <PasswordField
        label={label}
        name={name}
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => onPasswordChange(e.target.value)}
        error={error}
        hint={
          <>
            <PasswordStrength password={password} related={related} />
            <PasswordHints password={password} confirmation={confirmation} />
          </>
        }
      />
      <PasswordField
        label={confirmLabel}
        name={confirmName}
        autoComplete="new-password"
        required
        value={confirmation}
        onChange={(e) => onConfirmationChange(e.target.value)}
        error={confirmError}
      />
    </>
  );
}
