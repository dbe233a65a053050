import { normaliseEmail } from '@app/pool-definition/email';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { Alert } from '../components/Alert.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { Form } from '../components/Form.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';

/** Step 1 of a reset: ask for a code. The answer is the same whether or not the account exists. */
export default function ForgotPasswordPage() {
  const { service } = useAuth();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const { busy, error, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const done = await run(async () => {
      await service.forgotPassword(email);
      return true;
    });
    if (done) navigate(`/reset-password?email=${encodeURIComponent(normaliseEmail(email))}`);
  }

  return (
    <section className="card narrow">
      <PageTitle>Reset your password</PageTitle>
      <p>
        Enter your e-mail address. If it belongs to an account, we will send a code to reset the password.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <EmailField autoComplete="email" value={email} onChange={setEmail} />
        <SubmitButton busy={busy} busyLabel="Sending…">
          Send code
        </SubmitButton>
      </Form>
      <p className="links">
        <Link to="/reset-password">I already have a code</Link>
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </section>
  );
}
