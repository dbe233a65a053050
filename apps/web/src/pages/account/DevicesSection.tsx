import type { Device } from '@app/api-contract';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { useAuth } from '../../auth/auth-context.ts';
import { Alert } from '../../components/Alert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../components/use-action.ts';
import { useToast } from '../../design/toast-context.ts';

/** What a browser called itself (amazon-cognito-identity-js sends its user agent), as "Chrome on Linux". */
export function deviceLabel(name: string | null): string {
  if (!name) return 'Unnamed device';
  if (!name.startsWith('Mozilla/')) return name;
  const browser = /Edg\//.test(name)
    ? 'Edge'
    : /Firefox\//.test(name)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(name)
        ? 'Chrome'
        : /Safari\//.test(name)
          ? 'Safari'
          : 'A browser';
  const os = /iPhone|iPad/.test(name)
    ? 'iOS'
    : /Android/.test(name)
      ? 'Android'
      : /Windows/.test(name)
        ? 'Windows'
        : /Mac OS X/.test(name)
          ? 'macOS'
          : /Linux|CrOS/.test(name)
            ? 'Linux'
            : null;
  return os ? `${browser} on ${os}` : browser;
}

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * The devices signed in to this account, from the IdP's device tracking through the API (ADR 0167),
 * and "Sign out" for another one after a confirmation: the API refuses that device's tokens at once.
 * A pool without device tracking lists nothing, and the section says so rather than show an empty list.
 */
export function DevicesSection() {
  const api = useApi();
  const auth = useAuth();
  const toast = useToast();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const { busy, error, setError, run } = useAction();

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a reload after a sign-out.
  useEffect(() => {
    let live = true;
    api.myDevices().then(
      (list) => {
        if (!live) return;
        setDevices(list.devices);
        setLoadError(null);
      },
      (err: unknown) =>
        live && setLoadError(err instanceof Error ? err.message : 'Could not load your devices.'),
    );
    return () => {
      live = false;
    };
  }, [api, version]);

  async function signOut(device: Device) {
    const done = await run(async () => {
      await api.signOutDevice(device.device_key);
      return true;
    });
    if (!done) return;
    setConfirming(null);
    // Gone from the list at once; the reload then shows what the IdP has now.
    setDevices((list) => list?.filter((d) => d.device_key !== device.device_key) ?? null);
    setVersion((v) => v + 1);
    toast.show(`${deviceLabel(device.name)} has been signed out.`);
  }

  const tracked = Boolean(auth.session?.deviceKey);
  return (
    <section className="card" aria-labelledby="devices-heading">
      <h2 id="devices-heading">Signed-in devices</h2>
      {loadError ? <Alert kind="error">{loadError}</Alert> : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!devices && !loadError ? <Loading label="Loading your devices…" /> : null}
      {devices && devices.length === 0 ? (
        <p>
          {tracked
            ? 'No devices are registered to your account yet.'
            : 'This app does not keep track of devices, so there is no list of them here. “Sign out everywhere” above ends every session.'}
        </p>
      ) : null}
      {devices && devices.length > 0 ? (
        <ul className="device-list">
          {devices.map((d) => (
            <li key={d.device_key}>
              <div>
                <strong title={d.name ?? undefined}>{deviceLabel(d.name)}</strong>{' '}
                {d.current ? <span className="badge">This device</span> : null}
                <div className="device-used">Last used {when(d.last_signed_in_at ?? d.created_at)}</div>
              </div>
              {d.current ? null : confirming === d.device_key ? (
                <span className="confirm-box">
                  <span>Sign out {deviceLabel(d.name)}? It must sign in with the password again.</span>{' '}
                  <button type="button" className="danger" disabled={busy} onClick={() => void signOut(d)}>
                    {busy ? 'Signing out…' : 'Sign out this device'}
                  </button>{' '}
                  <button type="button" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  aria-label={`Sign out ${deviceLabel(d.name)}, last used ${when(d.last_signed_in_at ?? d.created_at)}`}
                  onClick={() => {
                    setError(null);
                    setConfirming(d.device_key);
                  }}
                >
                  Sign out…
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
