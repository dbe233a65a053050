import type { ReactNode } from 'react';
import { Alert } from '../../components/Alert.tsx';
import { useAction } from '../../components/use-action.ts';
import { AdminDialog } from './AdminDialog.tsx';

/**
 * "Are you sure?" for one admin action: the question, the button that does it, and the API's answer
 * when it refuses (e.g. the last-admin guard's 409, ADR 0071) in an alert inside the dialog.
 */
export function ConfirmAction({
  title,
  confirmLabel,
  busyLabel,
  danger = false,
  action,
  onDone,
  onCancel,
  children,
}: {
  title: string;
  confirmLabel: string;
  busyLabel: string;
  danger?: boolean;
  action(): Promise<void>;
  onDone(): void;
  onCancel(): void;
  children: ReactNode;
}) {
  const { busy, error, run } = useAction();
  return (
    <AdminDialog title={title} onClose={onCancel}>
      {children}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="row-actions dialog-actions">
        <button
          type="button"
          className={danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={() =>
            void run(async () => {
              await action();
              return true;
            }).then((ok) => ok && onDone())
          }
        >
          {busy ? busyLabel : confirmLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </AdminDialog>
  );
}
