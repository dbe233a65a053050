import { type FormEvent, useState } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { Alert } from '../components/Alert.tsx';
import { CodeField } from '../components/CodeField.tsx';
import { DevMailboxHint } from '../components/DevMailboxHint.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { Form } from '../components/Form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';

export default function ConfirmPage() {
  const { service } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const destination = (useLocation().state as { destination?: string } | null)?.destination;
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  // Straight from the sign-up form in this tab the password is already known; otherwise ask for it:
  // a code only confirms the account whose password comes with it (ADR 0072).
  const needsPassword = !service.hasSignUpPassword(email);
  const [resent, setResent] = useState(false);
  const confirm = useAction();
  const resend = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    // A new attempt replaces the old messages: no "We sent a new code" above "That code is not right".
    setResent(false);
    resend.setError(null);
    const done = await confirm.run(async () => {
      await service.confirmSignUp(email, code, needsPassword ? password : undefined);
      return true;
    });
    if (done) {
      navigate('/sign-in', { state: { email, message: 'Your e-mail address is confirmed. Sign in.' } });
    }
  }

  async function onResend() {
    setResent(false);
    confirm.setError(null);
    const done = await resend.run(async () => {
      await service.resendSignUpCode(email);
      return true;
    });
    if (done) setResent(true);
  }

  return (
    <section className="card narrow">
      <PageTitle>Confirm your e-mail</PageTitle>
      <p>
        We sent a 6-digit code to {destination ?? 'your e-mail address'}. Enter it here to finish creating
        your account. If this address already has an account, no code was sent:{' '}
        <Link to="/sign-in">sign in</Link> or <Link to="/forgot-password">reset your password</Link>.
      </p>
      <DevMailboxHint email={email} />
      {confirm.error ? <Alert kind="error">{confirm.error}</Alert> : null}
      {resend.error ? <Alert kind="error">{resend.error}</Alert> : null}
      {resent ? <Alert kind="success">We sent a new code. Check your e-mail.</Alert> : null}
      <Form onSubmit={onSubmit}>
        <EmailField autoComplete="email" value={email} onChange={setEmail} />
        <CodeField label="Confirmation code" pattern="[0-9]{6}" value={code} onChange={setCode} />
        {needsPassword ? (
          <PasswordField
            label="Password"
            name="password"
            autoComplete="current-password"
            required
            hint="The password you chose when you signed up."
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        ) : null}
        <SubmitButton busy={confirm.busy} busyLabel="Confirming…">
          Confirm
        </SubmitButton>
      </Form>
      <p className="links">
        <button type="button" className="link-button" onClick={onResend} disabled={resend.busy || !email}>
          {resend.busy ? 'Sending…' : 'Send a new code'}
        </button>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
