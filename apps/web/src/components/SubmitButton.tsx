import type { ReactNode } from 'react';

/** A submit button that says what is happening while busy, and cannot be pressed twice. */
export function SubmitButton({
  busy,
  busyLabel,
  children,
  className = 'primary',
}: {
  /** 'primary' unless the action is destructive ('danger'). */
  className?: string;
  busy: boolean;
  busyLabel: string;
  children: ReactNode;
}) {
  return (
    <button type="submit" className={className} disabled={busy} aria-busy={busy || undefined}>
      {busy ? busyLabel : children}
    </button>
  );
}
