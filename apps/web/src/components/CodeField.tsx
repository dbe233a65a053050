import type { InputHTMLAttributes } from 'react';
import { Field } from './Field.tsx';

/**
 * A required 6-digit code from an e-mail (`name="code"`, `autocomplete="one-time-code"`): anything but
 * digits is dropped as it is typed.
 */
export function CodeField({
  label,
  value,
  onChange,
  pattern,
  hint = '6 digits, from the e-mail we sent you.',
}: {
  label: string;
  value: string;
  onChange: (digits: string) => void;
  pattern?: InputHTMLAttributes<HTMLInputElement>['pattern'];
  /** Where the code comes from (an e-mail unless told). */
  hint?: string;
}) {
  return (
    <Field
      label={label}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern={pattern}
      maxLength={6}
      required
      value={value}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))}
      hint={hint}
    />
  );
}
