import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { passwordAcceptable } from '../auth/password-policy.ts';
import { Alert } from '../components/Alert.tsx';
import { CodeField } from '../components/CodeField.tsx';
import { DevMailboxHint } from '../components/DevMailboxHint.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { Form } from '../components/Form.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';

/** Step 2 of a reset: the e-mailed code and a new password. */
export default function ResetPasswordPage() {
  const { service } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, error, setError, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!passwordAcceptable(password)) return setError('Choose a password that meets every rule below it.');
    if (password !== confirmation) return setError('The two passwords are different.');
    const done = await run(async () => {
      await service.confirmForgotPassword(email, code, password);
      return true;
    });
    if (done) {
      navigate('/sign-in', { state: { email, message: 'Your password has been changed. Sign in with it.' } });
    }
  }

  return (
    <section className="card narrow">
      <PageTitle>Choose a new password</PageTitle>
      <p>If the address belongs to an account, a code is on its way. Enter it with your new password.</p>
      <DevMailboxHint email={email} />
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <EmailField autoComplete="username" value={email} onChange={setEmail} />
        <CodeField label="Code" value={code} onChange={setCode} />
        <NewPasswordFields
          name="newPassword"
          confirmName="confirmPassword"
          password={password}
          confirmation={confirmation}
          onPasswordChange={setPassword}
          onConfirmationChange={setConfirmation}
        />
        <SubmitButton busy={busy} busyLabel="Saving…">
          Change password
        </SubmitButton>
      </Form>
      <p className="links">
        <Link to="/forgot-password">Send a new code</Link>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
