import { Field } from './Field.tsx';

/**
 * The required "E-mail" input (`name="email"`). `autoComplete` is "username" where it identifies the
 * account being signed in to or reset, "email" where an address is being given.
 */
export function EmailField({
  value,
  onChange,
  autoComplete,
  label = 'E-mail',
}: {
  label?: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'email' | 'username';
}) {
  return (
    <Field
      label={label}
      type="email"
      name="email"
      autoComplete={autoComplete}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
