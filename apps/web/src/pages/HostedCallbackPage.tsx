import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { Alert } from '../components/Alert.tsx';
import { Loading } from '../components/Loading.tsx';
import { PageTitle } from '../components/PageTitle.tsx';

/**
 * Where the hosted page returns with `code` and `state` (or `error`): exchanges the code and goes on
 * to the page the sign-in started from; otherwise says plainly what went wrong (ADR 0140).
 */
export default function HostedCallbackPage() {
  const auth = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  // The code is single-use: React's development double effect must not spend it twice.
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const answer = window.location.href;
    // Neither the code nor the error stays in the address bar or the history.
    window.history.replaceState(window.history.state, '', window.location.pathname);
    auth.completeHostedSignIn(answer).then(
      (returnTo) => navigate(returnTo, { replace: true }),
      (err: unknown) =>
        setError(err instanceof Error ? err.message : 'Something went wrong. Please try again.'),
    );
  }, [auth, navigate]);

  if (!error)
    return (
      <section className="card narrow">
        <PageTitle>Signing you in</PageTitle>
        <Loading label="Finishing the sign-in…" />
      </section>
    );
  return (
    <section className="card narrow">
      <PageTitle>Sign-in did not complete</PageTitle>
      <Alert kind="error">{error}</Alert>
      <p className="links">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
