import { type FormHTMLAttributes, type SubmitEvent, useState } from 'react';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** The label of a control, without a trailing "(optional)". */
function labelOf(control: Control): string {
  const text = control.labels?.[0]?.textContent ?? control.name;
  return text.replace(/\s*\(optional\)\s*$/i, '').trim();
}

/** The app's own words for a control the browser finds invalid (never the browser's bubble text). */
export function problemWith(control: Control): string {
  const label = labelOf(control);
  const v = control.validity;
  if (v.valueMissing) return `Fill in “${label}”.`;
  if (v.typeMismatch && control.type === 'email') return 'Enter an e-mail address such as ann@example.com.';
  if (v.patternMismatch && control.getAttribute('name') === 'code') return 'Enter the 6-digit code.';
  if (v.tooLong) return `“${label}” is too long.`;
  return `Check “${label}”.`;
}

/**
 * A form without the browser's validation bubbles (noValidate): on submit the first invalid field gets
 * focus and the app's own message, shown above the fields; otherwise `onSubmit` runs.
 */
export function Form({ onSubmit, children, ...rest }: FormHTMLAttributes<HTMLFormElement>) {
  const [problem, setProblem] = useState<string | null>(null);
  function handle(e: SubmitEvent<HTMLFormElement>) {
    const invalid = [...e.currentTarget.elements].find(
      (el): el is Control => 'validity' in el && !(el as Control).validity.valid,
    );
    if (invalid) {
      e.preventDefault();
      setProblem(problemWith(invalid));
      invalid.focus();
      return;
    }
    setProblem(null);
    onSubmit?.(e);
  }
  return (
    <form noValidate onSubmit={handle} {...rest}>
      {problem ? (
        <p className="field-error form-problem" role="alert">
          {problem}
        </p>
      ) : null}
      {children}
    </form>
  );
}
