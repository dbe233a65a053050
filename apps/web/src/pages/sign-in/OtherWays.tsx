import { useAuth } from '../../auth/auth-context.ts';
import type { SignInChallenge } from '../../auth/sign-in-challenge.ts';
import { Alert } from '../../components/Alert.tsx';
import { useAction } from '../../components/use-action.ts';

/**
 * "Sign in another way": choice-based sign-in (USER_AUTH). Cognito answers with the ways this
 * address can sign in (passkey, e-mailed code, password); an unknown address gets the same kind of
 * answer, so nothing is revealed about who has an account.
 */
export function OtherWays({
  email,
  keepSignedIn,
  onChallenge,
}: {
  email: string;
  keepSignedIn: boolean;
  onChallenge: (challenge: SignInChallenge) => void;
}) {
  const auth = useAuth();
  const { busy, error, setError, run } = useAction();

  // The pool's client has no USER_AUTH: only the password form works (ADR 0145).
  if (!auth.service.signInOptions.choiceSignIn) return null;

  async function start() {
    if (!email.trim()) return setError('Fill in “E-mail” first, then choose another way to sign in.');
    const outcome = await run(() => auth.signInWithChoice(email, { keepSignedIn }));
    if (outcome?.kind === 'challenge') onChallenge(outcome.challenge);
  }

  return (
    <div className="other-ways">
      {/* The hosted-page button above already says "or". */}
      {auth.service.hostedSignInAvailable ? null : <p className="divider">or</p>}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <button
        type="button"
        className="wide"
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={() => void start()}
      >
        {busy ? 'One moment…' : 'Use a passkey or an e-mailed code'}
      </button>
    </div>
  );
}
