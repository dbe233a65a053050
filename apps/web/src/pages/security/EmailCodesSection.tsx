import { useAuth } from '../../auth/auth-context.ts';
import type { FactorStatus } from '../../auth/factors.ts';
import { Alert } from '../../components/Alert.tsx';
import { useAction } from '../../components/use-action.ts';
import { useToast } from '../../design/toast-context.ts';

/** Codes by e-mail as the second step (EmailMfaSettings), where the pool offers them. */
export function EmailCodesSection({
  status,
  onChanged,
}: {
  status: FactorStatus;
  onChanged: () => Promise<void>;
}) {
  const { factors } = useAuth().service;
  const toast = useToast();
  const { busy, error, run } = useAction();
  const enabled = status.mfa.includes('EMAIL_OTP');
  const preferred = status.preferred === 'EMAIL_OTP';

  const change = async (enable: boolean, prefer: boolean | undefined, message: string) => {
    const done = await run(async () => {
      await factors.setMfa('EMAIL_OTP', {
        enabled: enable,
        ...(prefer !== undefined ? { preferred: prefer } : {}),
      });
      await onChanged();
      return true;
    });
    if (done) toast.show(message);
  };

  return (
    <section className="card" aria-labelledby="email-codes-heading">
      <h2 id="email-codes-heading">Codes by e-mail</h2>
      <p>A 6-digit code sent to your e-mail address after your password.</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <div className="row-actions">
        {enabled ? (
          <>
            {!preferred ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => void change(true, true, 'Codes by e-mail are now asked first.')}
              >
                Ask for this first
              </button>
            ) : null}
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void change(false, false, 'Codes by e-mail turned off.')}
            >
              Turn off codes by e-mail
            </button>
          </>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={() =>
              void change(true, status.preferred ? undefined : true, 'Codes by e-mail turned on.')
            }
          >
            Use codes by e-mail
          </button>
        )}
      </div>
    </section>
  );
}
