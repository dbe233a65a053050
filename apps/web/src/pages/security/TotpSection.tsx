import { useState } from 'react';
import { useAuth } from '../../auth/auth-context.ts';
import type { FactorStatus } from '../../auth/factors.ts';
import { Alert } from '../../components/Alert.tsx';
import { AuthenticatorSetup } from '../../components/mfa/AuthenticatorSetup.tsx';
import { useAction } from '../../components/use-action.ts';
import { useToast } from '../../design/toast-context.ts';

/** The authenticator app (TOTP): add with a QR code and its first code, prefer, remove. */
export function TotpSection({ status, onChanged }: { status: FactorStatus; onChanged: () => Promise<void> }) {
  const { factors } = useAuth().service;
  const toast = useToast();
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { busy, error, run } = useAction();
  const enabled = status.mfa.includes('SOFTWARE_TOKEN_MFA');
  const preferred = status.preferred === 'SOFTWARE_TOKEN_MFA';

  const change = async (action: () => Promise<void>, message: string) => {
    const done = await run(async () => {
      await action();
      await onChanged();
      return true;
    });
    if (done) toast.show(message);
  };

  return (
    <section className="card" aria-labelledby="totp-heading">
      <h2 id="totp-heading">Authenticator app</h2>
      <p>
        A 6-digit code from an app on your phone, asked after your password. It works offline and cannot be
        intercepted like a text message.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {enabled ? (
        <div className="row-actions">
          {!preferred ? (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void change(
                  () => factors.setMfa('SOFTWARE_TOKEN_MFA', { enabled: true, preferred: true }),
                  'The authenticator app is now asked first.',
                )
              }
            >
              Ask for this first
            </button>
          ) : null}
          {confirmRemove ? (
            <span className="confirm-box">
              <span>Remove the app? Its codes stop working at once.</span>{' '}
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() =>
                  void change(async () => {
                    await factors.setMfa('SOFTWARE_TOKEN_MFA', { enabled: false, preferred: false });
                    setConfirmRemove(false);
                  }, 'Authenticator app removed.')
                }
              >
                Remove the app
              </button>{' '}
              <button type="button" onClick={() => setConfirmRemove(false)}>
                Cancel
              </button>
            </span>
          ) : (
            <button type="button" className="danger" onClick={() => setConfirmRemove(true)}>
              Remove…
            </button>
          )}
        </div>
      ) : setup ? (
        <AuthenticatorSetup
          secret={setup.secret}
          uri={setup.uri}
          onVerify={async (code) => {
            await factors.verifyAuthenticator(code);
            setSetup(null);
            await onChanged();
            toast.show('Authenticator app turned on.');
          }}
        >
          <button type="button" className="link-button" onClick={() => setSetup(null)}>
            Cancel
          </button>
        </AuthenticatorSetup>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void run(async () => setSetup(await factors.startAuthenticator()))}
        >
          {busy ? 'Preparing…' : 'Add an authenticator app'}
        </button>
      )}
    </section>
  );
}
