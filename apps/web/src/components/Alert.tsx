import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A message box. Errors are announced (role=alert) and take focus so keyboard and screen-reader
 * users land on what went wrong; notices are polite (role=status).
 */
export function Alert({ kind, children }: { kind: 'error' | 'success' | 'info'; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (kind === 'error') ref.current?.focus();
  }, [kind]);
  return (
    <div
      ref={ref}
      className={`alert alert-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      tabIndex={-1}
    >
      {children}
    </div>
  );
}
