import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ToastApi, ToastContext, type ToastKind } from './toast-context.ts';

interface Toast {
  id: number;
  message: string;
  kind: ToastKind;
}

/** How long a toast stays; hovering or focusing the stack keeps them until the pointer leaves. */
export const TOAST_MS = 6000;

/**
 * Transient results of actions ("Item added", "Name saved"). The region is always in the page
 * (role=status, polite) so screen readers announce each new toast; errors stay inline as alerts
 * next to the form that caused them, never only in a toast. Home-made, ~60 lines (ADR 0130).
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [paused, setPaused] = useState(false);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const api = useMemo<ToastApi>(
    () => ({
      show: (message, kind = 'success') =>
        // At most three on screen: a burst of actions does not cover the page.
        setToasts((ts) => [...ts.slice(-2), { id: next.current++, message, kind }]),
    }),
    [],
  );
  useEffect(() => {
    if (paused || toasts.length === 0) return;
    const oldest = toasts[0]!;
    const timer = setTimeout(() => dismiss(oldest.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toasts, paused, dismiss]);
  return (
    <ToastContext.Provider value={api}>
      {children}
      <section
        className="toasts"
        aria-label="Notifications"
        onMouseEnter={() => setPaused(true)}
        onMouseLeave={() => setPaused(false)}
        onFocus={() => setPaused(true)}
        onBlur={() => setPaused(false)}
      >
        <div role="status" aria-live="polite">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast-${t.kind}`}>
              <span>{t.message}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Dismiss “${t.message}”`}
                onClick={() => dismiss(t.id)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </div>
          ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}
