import { normaliseEmail } from '@app/pool-definition/email';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import type { NewPasswordChallenge } from '../auth/cognito-auth.ts';
import { AuthError, asLockedOut, isLockedOut } from '../auth/errors.ts';
import { passwordAcceptable } from '../auth/password-policy.ts';
import type { SignInChallenge } from '../auth/sign-in-challenge.ts';
import { Alert } from '../components/Alert.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { Form } from '../components/Form.tsx';
import { HostedSignInButton } from '../components/HostedSignInButton.tsx';
import { KeepSignedIn } from '../components/KeepSignedIn.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';
import { OtherWays } from './sign-in/OtherWays.tsx';
import { SignInStep } from './sign-in/SignInSteps.tsx';

interface SignInState {
  from?: string;
  email?: string;
  message?: string;
}

/** Only same-app paths: never bounce a user to another site after sign-in. */
function safeReturnPath(from: unknown): string {
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/';
}

export default function SignInPage() {
  const auth = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const state = (location.state ?? {}) as SignInState;
  const [email, setEmail] = useState(state.email ?? '');
  const [password, setPassword] = useState('');
  const [keepSignedIn, setKeepSignedIn] = useState(true);
  const [challenge, setChallenge] = useState<NewPasswordChallenge | null>(null);
  // MFA, a choice of factor, a passkey: the sign-in's next step (ADR 0145).
  const [step, setStep] = useState<{ challenge: SignInChallenge; autoStart?: boolean; n: number } | null>(
    null,
  );
  const showStep = (c: SignInChallenge, options: { autoStart?: boolean } = {}) =>
    setStep((prev) => ({ challenge: c, ...options, n: (prev?.n ?? 0) + 1 }));
  const [unconfirmed, setUnconfirmed] = useState(false);
  // The account last seen locked out: Cognito answers its next wrong password with the plain wording
  // while renewing the lock, so the page keeps saying it is locked until a sign-in succeeds.
  const [lockedEmail, setLockedEmail] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const returnTo = safeReturnPath(state.from);

  if (auth.status === 'signedIn') return <Navigate to={returnTo} replace />;
  if (challenge)
    return (
      <NewPasswordForm
        challenge={challenge}
        onDone={() => navigate(returnTo, { replace: true })}
        onStep={(next) => {
          setChallenge(null);
          showStep(next);
        }}
      />
    );
  if (step)
    return (
      <SignInStep
        key={step.n}
        challenge={step.challenge}
        autoStart={step.autoStart}
        onNext={showStep}
        onSignedIn={() => navigate(returnTo, { replace: true })}
        onRestart={() => {
          setStep(null);
          setPassword('');
        }}
      />
    );

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setUnconfirmed(false);
    await run(async () => {
      try {
        const result = await auth.signIn(email, password, { keepSignedIn });
        if (result.kind === 'newPasswordRequired') setChallenge(result.challenge);
        else if (result.kind === 'challenge') showStep(result.challenge);
        else navigate(returnTo, { replace: true });
      } catch (err) {
        if (err instanceof AuthError && err.code === 'UserNotConfirmedException') setUnconfirmed(true);
        if (isLockedOut(err)) setLockedEmail(normaliseEmail(email));
        else if (
          err instanceof AuthError &&
          err.code === 'NotAuthorizedException' &&
          lockedEmail === normaliseEmail(email)
        )
          throw asLockedOut(err);
        throw err;
      }
    });
  }

  return (
    <section className="card narrow">
      <PageTitle>Sign in</PageTitle>
      {state.message && !error ? <Alert kind="success">{state.message}</Alert> : null}
      {auth.notice && !error ? <Alert kind="info">{auth.notice}</Alert> : null}
      {error ? (
        <Alert kind="error">
          {error}{' '}
          {unconfirmed ? (
            <Link to={`/confirm?email=${encodeURIComponent(email)}`}>Confirm your e-mail</Link>
          ) : null}
        </Alert>
      ) : null}
      <Form onSubmit={onSubmit}>
        <EmailField autoComplete="username" value={email} onChange={setEmail} />
        <PasswordField
          label="Password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <KeepSignedIn checked={keepSignedIn} onChange={setKeepSignedIn} />
        <SubmitButton busy={busy} busyLabel="Signing in…">
          Sign in
        </SubmitButton>
      </Form>
      <HostedSignInButton keepSignedIn={keepSignedIn} returnTo={returnTo} />
      <OtherWays email={email} keepSignedIn={keepSignedIn} onChallenge={showStep} />
      <p className="links">
        <Link to="/forgot-password">Forgot your password?</Link>
        <span>
          New here? <Link to="/sign-up">Create an account</Link>
        </span>
      </p>
    </section>
  );
}

/** Cognito's NEW_PASSWORD_REQUIRED: an account created by an admin must choose its own password. */
function NewPasswordForm({
  challenge,
  onDone,
  onStep,
}: {
  challenge: NewPasswordChallenge;
  onDone: () => void;
  /** An MFA step follows the new password (a pool with MFA ON). */
  onStep: (next: SignInChallenge) => void;
}) {
  const auth = useAuth();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, error, run } = useAction();
  const ok = passwordAcceptable(password) && password === confirmation;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!ok) return;
    const outcome = await run(() => auth.completeNewPassword(challenge, password));
    if (outcome?.kind === 'challenge') onStep(outcome.challenge);
    else if (outcome) onDone();
  }

  return (
    <section className="card narrow">
      <PageTitle>Choose a new password</PageTitle>
      <p>Your account was created with a temporary password. Choose your own to continue.</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <NewPasswordFields
          password={password}
          confirmation={confirmation}
          onPasswordChange={setPassword}
          onConfirmationChange={setConfirmation}
        />
        <SubmitButton busy={busy} busyLabel="Saving…">
          Set password and sign in
        </SubmitButton>
      </Form>
    </section>
  );
}
