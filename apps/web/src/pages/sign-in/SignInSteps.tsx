import { type FormEvent, useEffect, useRef, useState } from 'react';
import { type SignInOutcome, useAuth } from '../../auth/auth-context.ts';
import type { SignInResult } from '../../auth/cognito-auth.ts';
import type { FirstFactor, MfaFactor, SignInChallenge } from '../../auth/sign-in-challenge.ts';
import { Alert } from '../../components/Alert.tsx';
import { CodeField } from '../../components/CodeField.tsx';
import { DevMailboxHint } from '../../components/DevMailboxHint.tsx';
import { Form } from '../../components/Form.tsx';
import { Loading } from '../../components/Loading.tsx';
import { AuthenticatorSetup } from '../../components/mfa/AuthenticatorSetup.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { useAction } from '../../components/use-action.ts';

export interface StepProps {
  challenge: SignInChallenge;
  /** The next step of the same sign-in. */
  onNext(challenge: SignInChallenge, options?: { autoStart?: boolean }): void;
  onSignedIn(): void;
  /** Back to the e-mail and password form; `password` when the user chose the password. */
  onRestart(password?: boolean): void;
  /** Start the passkey prompt at once (the user has just pressed a passkey button). */
  autoStart?: boolean;
}

const factorNames: Record<MfaFactor, string> = {
  SOFTWARE_TOKEN_MFA: 'Authenticator app',
  EMAIL_OTP: 'Code by e-mail',
  SMS_MFA: 'Code by text message',
};

/** One step of a sign-in after the e-mail address: codes, choices, passkey, MFA set-up (ADR 0145). */
export function SignInStep(props: StepProps) {
  const { step } = props.challenge;
  if (step.kind === 'code')
    return <CodeStep {...props} factor={step.factor} destination={step.destination} />;
  if (step.kind === 'passkey') return <PasskeyStep {...props} />;
  if (step.kind === 'mfaSetup') return <MfaSetupStep {...props} factors={step.factors} />;
  return <ChoiceStep {...props} />;
}

/** Runs a step's answer through the auth context and moves on by its outcome. */
function useStep({ onNext, onSignedIn }: Pick<StepProps, 'onNext' | 'onSignedIn'>) {
  const auth = useAuth();
  const action = useAction();
  const follow = (outcome: SignInOutcome | undefined, autoStart = false) => {
    if (outcome?.kind === 'signedIn') onSignedIn();
    else if (outcome?.kind === 'challenge') onNext(outcome.challenge, { autoStart });
  };
  /** For forms that show their own errors: throws. */
  const answer = async (result: Promise<SignInResult>) => follow(await auth.continueSignIn(result));
  const go = async (result: () => Promise<SignInResult>, autoStart = false) =>
    follow(await action.run(() => auth.continueSignIn(result())), autoStart);
  return { ...action, go, answer };
}

function StartAgain({ onRestart }: Pick<StepProps, 'onRestart'>) {
  return (
    <p className="links">
      <button type="button" className="link-button" onClick={() => onRestart()}>
        Start again
      </button>
    </p>
  );
}

function CodeStep({
  challenge,
  factor,
  destination,
  ...props
}: StepProps & { factor: MfaFactor; destination: string | null }) {
  const [code, setCode] = useState('');
  const { busy, error, go } = useStep(props);
  const where = destination ? ` to ${destination}` : '';
  const intro =
    factor === 'SOFTWARE_TOKEN_MFA'
      ? 'Open your authenticator app and enter the 6-digit code it shows for Cognito Stack.'
      : factor === 'EMAIL_OTP'
        ? `We e-mailed a sign-in code${where}.`
        : `We sent a sign-in code by text message${where}.`;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    await go(() => challenge.answerCode(code));
  }

  return (
    <section className="card narrow">
      <PageTitle>
        {factor === 'SOFTWARE_TOKEN_MFA' ? 'Enter your app code' : 'Enter your sign-in code'}
      </PageTitle>
      <p>{intro}</p>
      {factor !== 'SOFTWARE_TOKEN_MFA' ? (
        <DevMailboxHint email={factor === 'EMAIL_OTP' ? challenge.email : ''} />
      ) : null}
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <CodeField
          label={factor === 'SOFTWARE_TOKEN_MFA' ? 'Code from the app' : 'Sign-in code'}
          value={code}
          onChange={setCode}
          pattern="[0-9]{6}"
          hint={
            factor === 'SOFTWARE_TOKEN_MFA'
              ? '6 digits; a new one every 30 seconds.'
              : `6 digits, from the ${factor === 'EMAIL_OTP' ? 'e-mail' : 'text message'} we sent you.`
          }
        />
        <SubmitButton busy={busy} busyLabel="Checking…">
          Verify and sign in
        </SubmitButton>
      </Form>
      <StartAgain onRestart={props.onRestart} />
    </section>
  );
}

const firstFactorNames: Partial<Record<FirstFactor, string>> = {
  WEB_AUTHN: 'Passkey',
  EMAIL_OTP: 'E-mail me a code',
  PASSWORD: 'Password',
};

/** SELECT_MFA_TYPE (second factor) and SELECT_CHALLENGE (how to sign in). */
function ChoiceStep({ challenge, ...props }: StepProps) {
  const { busy, error, go } = useStep(props);
  const { step } = challenge;
  const mfa = step.kind === 'selectMfa';
  // PASSWORD and PASSWORD_SRP are one choice for the user: the password form (SRP).
  const choices: { answer: MfaFactor | FirstFactor; label: string }[] = mfa
    ? step.factors.map((f) => ({ answer: f, label: factorNames[f] ?? f }))
    : step.kind === 'selectChallenge'
      ? [...new Set(step.choices.map((c) => (c === 'PASSWORD_SRP' ? 'PASSWORD' : c)))].flatMap((c) =>
          firstFactorNames[c] ? [{ answer: c, label: firstFactorNames[c]! }] : [],
        )
      : [];

  const pick = (answer: MfaFactor | FirstFactor) => {
    if (answer === 'PASSWORD') return props.onRestart(true);
    void go(() => challenge.choose(answer), answer === 'WEB_AUTHN');
  };

  return (
    <section className="card narrow">
      <PageTitle>{mfa ? 'Confirm it is you' : 'Choose how to sign in'}</PageTitle>
      <p>
        {mfa
          ? 'Your account has more than one second step. Which one do you want to use now?'
          : `Signing in as ${challenge.email}.`}
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {busy ? <Loading label="One moment…" /> : null}
      <ul className="choice-list">
        {choices.map((c) => (
          <li key={c.answer}>
            <button type="button" disabled={busy} onClick={() => pick(c.answer)}>
              {c.label}
            </button>
          </li>
        ))}
      </ul>
      <StartAgain onRestart={props.onRestart} />
    </section>
  );
}

function PasskeyStep({ challenge, autoStart, ...props }: StepProps) {
  const { busy, error, go } = useStep(props);
  const started = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the step opens from a passkey button.
  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      void go(() => challenge.answerWithPasskey());
    }
  }, []);
  return (
    <section className="card narrow">
      <PageTitle>Sign in with your passkey</PageTitle>
      <p>
        Your browser or phone asks you to confirm with your fingerprint, face, screen lock or security key.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <button
        type="button"
        className="primary wide"
        disabled={busy}
        aria-busy={busy || undefined}
        onClick={() => void go(() => challenge.answerWithPasskey())}
      >
        {busy ? 'Waiting for your passkey…' : 'Use my passkey'}
      </button>
      <StartAgain onRestart={props.onRestart} />
    </section>
  );
}

/** MFA_SETUP: the pool requires a second step and this account has none yet. */
function MfaSetupStep({ challenge, factors, ...props }: StepProps & { factors: MfaFactor[] }) {
  const { error, setError, go, answer } = useStep(props);
  const [setup, setSetup] = useState<{ secret: string; uri: string } | null>(null);
  const totp = factors.includes('SOFTWARE_TOKEN_MFA');
  useEffect(() => {
    if (!totp) return;
    challenge
      .setUpAuthenticator()
      .then(setSetup, (err: unknown) =>
        setError(err instanceof Error ? err.message : 'Could not start the set-up.'),
      );
  }, [challenge, totp, setError]);

  return (
    <section className="card narrow">
      <PageTitle>Set up two-step sign-in</PageTitle>
      <p>This app asks for a second step after your password. Set it up now to finish signing in.</p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {totp && !setup && !error ? <Loading label="Preparing your key…" /> : null}
      {setup ? (
        <AuthenticatorSetup
          secret={setup.secret}
          uri={setup.uri}
          submitLabel="Turn on and sign in"
          onVerify={(code) => answer(challenge.verifyAuthenticator(code))}
        />
      ) : null}
      {factors.includes('EMAIL_OTP') ? (
        <p>
          <button type="button" onClick={() => void go(() => challenge.choose('EMAIL_OTP'))}>
            Use codes by e-mail instead
          </button>
        </p>
      ) : null}
      <StartAgain onRestart={props.onRestart} />
    </section>
  );
}
