import { useId } from 'react';

/** "Keep me signed in": off keeps the session in this tab only (ADR 0132). */
export function KeepSignedIn({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  const hint = useId();
  return (
    <div className="field">
      <label className="checkbox">
        <input
          type="checkbox"
          name="keepSignedIn"
          checked={checked}
          aria-describedby={hint}
          onChange={(e) => onChange(e.target.checked)}
        />
        Keep me signed in
      </label>
      <span id={hint} className="field-hint">
        Untick on a shared computer: closing the tab then signs you out.
      </span>
    </div>
  );
}
