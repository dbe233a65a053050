import { useApi } from '../../api/api-context.tsx';
import { useAuth } from '../../auth/auth-context.ts';
import { Alert } from '../../components/Alert.tsx';
import { useAction } from '../../components/use-action.ts';

/**
 * This browser's session (when it signed in, whether it outlives the tab) and "Sign out everywhere"
 * (the API's /auth/sign-out-everywhere, else Cognito's GlobalSignOut: ADR 0070). The other devices, when
 * the pool tracks them, are listed by DevicesSection.
 */
export function SessionsSection() {
  const auth = useAuth();
  const api = useApi();
  const signOutAll = useAction();
  const signedInAt = auth.session?.signedInAt;
  const kept = auth.service.keepsSignedIn();
  return (
    <section className="card" aria-labelledby="sessions">
      <h2 id="sessions">Sessions</h2>
      <dl className="details">
        <dt>This browser</dt>
        <dd>
          {signedInAt ? `Signed in ${new Date(signedInAt).toLocaleString()}` : 'Signed in'}
          {' · '}
          {kept ? 'kept signed in' : 'signed out when this tab closes'}
        </dd>
      </dl>
      <p>Signs you out on every device and browser, and makes their tokens stop working.</p>
      {signOutAll.error ? <Alert kind="error">{signOutAll.error}</Alert> : null}
      <button
        type="button"
        className="danger"
        disabled={signOutAll.busy}
        onClick={() => void signOutAll.run(() => auth.globalSignOut(() => api.signOutEverywhere()))}
      >
        {signOutAll.busy ? 'Signing out…' : 'Sign out everywhere'}
      </button>
    </section>
  );
}
