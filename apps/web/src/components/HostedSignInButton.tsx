import { useAuth } from '../auth/auth-context.ts';
import { Alert } from './Alert.tsx';
import { useAction } from './use-action.ts';

/**
 * "Sign in with the hosted page": leaves for the user pool's managed login (code + PKCE, ADR 0140),
 * carrying the form's "Keep me signed in" choice and where to return. Shown only when configured.
 */
export function HostedSignInButton({ keepSignedIn, returnTo }: { keepSignedIn: boolean; returnTo: string }) {
  const { service } = useAuth();
  const { busy, error, run } = useAction();
  if (!service.hostedSignInAvailable) return null;

  const start = (identityProvider?: string) =>
    run(async () => {
      window.location.assign(
        await service.startHostedSignIn({
          keepSignedIn,
          returnTo,
          ...(identityProvider ? { identityProvider } : {}),
        }),
      );
      // Stays busy while the browser leaves; the page is replaced.
      await new Promise(() => {});
    });

  return (
    <div className="hosted-sign-in">
      <p className="divider">or</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {/* "Sign in with <name>": straight to that provider through the managed login (ADR 0162). */}
      {(service.identityProviders ?? []).map((name) => (
        <button
          key={name}
          type="button"
          className="wide"
          onClick={() => start(name)}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {`Sign in with ${name}`}
        </button>
      ))}
      <button
        type="button"
        className="wide"
        onClick={() => start()}
        disabled={busy}
        aria-busy={busy || undefined}
      >
        {busy ? 'Opening the sign-in page…' : 'Sign in with the hosted page'}
      </button>
    </div>
  );
}
