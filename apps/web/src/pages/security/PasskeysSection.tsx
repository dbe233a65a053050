import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '../../auth/auth-context.ts';
import type { Passkey } from '../../auth/factors.ts';
import { Alert } from '../../components/Alert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../components/use-action.ts';
import { useToast } from '../../design/toast-context.ts';

/** Passkeys (WebAuthn): sign in with the device's screen lock instead of a password. */
export function PasskeysSection({ onChanged }: { onChanged: () => Promise<void> }) {
  const { factors } = useAuth().service;
  const toast = useToast();
  const [keys, setKeys] = useState<Passkey[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const load = useCallback(async () => setKeys(await factors.passkeys()), [factors]);
  useEffect(() => {
    load().catch((err: unknown) =>
      setLoadError(err instanceof Error ? err.message : 'Could not load your passkeys.'),
    );
  }, [load]);

  const change = async (action: () => Promise<void>, message: string) => {
    const done = await run(async () => {
      await action();
      await Promise.all([load(), onChanged()]);
      return true;
    });
    if (done) toast.show(message);
  };

  return (
    <section className="card" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p>
        Sign in with your fingerprint, face or screen lock instead of a password. The key stays on your device
        or in your password manager; nothing secret is sent to us.
      </p>
      {error || loadError ? <Alert kind="error">{error ?? loadError}</Alert> : null}
      {!keys && !loadError ? <Loading label="Loading your passkeys…" /> : null}
      {keys?.length ? (
        <ul className="passkeys">
          {keys.map((k) => (
            <li key={k.id} className="passkey">
              <span>
                <strong>{k.name}</strong>
                {k.createdAt ? (
                  <span className="meta"> · added {k.createdAt.toLocaleDateString()}</span>
                ) : null}
              </span>
              <button
                type="button"
                className="danger"
                disabled={busy}
                aria-label={`Remove ${k.name}${k.createdAt ? ` added ${k.createdAt.toLocaleDateString()}` : ''}`}
                onClick={() => void change(() => factors.removePasskey(k.id), 'Passkey removed.')}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : keys ? (
        <p className="empty">No passkeys yet.</p>
      ) : null}
      <button
        type="button"
        className="primary"
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={() => void change(() => factors.addPasskey(), 'Passkey added.')}
      >
        {busy ? 'Waiting for your device…' : 'Add a passkey'}
      </button>
    </section>
  );
}
