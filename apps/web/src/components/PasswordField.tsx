import { type ComponentProps, useState } from 'react';
import { Field } from './Field.tsx';

type PasswordFieldProps = Omit<ComponentProps<typeof Field>, 'type' | 'action'>;

/**
 * A password input with a Show/Hide button inside its box. Shown text is never
 * autocompleted or spell-checked, so a password does not end up in a dictionary or suggestion list.
 */
export function PasswordField(props: PasswordFieldProps) {
  const [shown, setShown] = useState(false);
  return (
    <Field
      {...props}
      type={shown ? 'text' : 'password'}
      spellCheck={false}
      autoCapitalize="off"
      autoCorrect="off"
      action={
        // The name is in the content, not aria-label: "Show new password" / "Hide new password".
        // (An aria-label would also match a search for the label "Password".)
        <button type="button" className="input-action" onClick={() => setShown((s) => !s)}>
          <span aria-hidden="true">{shown ? 'Hide' : 'Show'}</span>
          <span className="visually-hidden">{`${shown ? 'Hide' : 'Show'} ${props.label.toLowerCase()}`}</span>
        </button>
      }
    />
  );
}
