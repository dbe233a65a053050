import { normaliseEmail } from '@app/pool-definition/email';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { passwordAcceptable } from '../auth/password-policy.ts';
import { Alert } from '../components/Alert.tsx';
import { EmailField } from '../components/EmailField.tsx';
import { Field } from '../components/Field.tsx';
import { Form } from '../components/Form.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';

export default function SignUpPage() {
  const { service } = useAuth();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, setError, run } = useAction();

  const passwordOk = passwordAcceptable(password);
  const matches = password === confirmation;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!passwordOk) return setError('Choose a password that meets every rule below it.');
    if (!matches) return setError('The two passwords are different.');
    const result = await run(() => service.signUp({ email, password, name }));
    if (!result) return;
    if (result.confirmed) {
      navigate('/sign-in', { state: { email, message: 'Your account is ready. Sign in.' } });
    } else {
      navigate(`/confirm?email=${encodeURIComponent(normaliseEmail(email))}`, {
        state: { destination: result.destination },
      });
    }
  }

  return (
    <section className="card narrow">
      <PageTitle>Create an account</PageTitle>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <EmailField autoComplete="email" value={email} onChange={setEmail} />
        <NewPasswordFields
          label="Password"
          confirmLabel="Confirm password"
          name="password"
          confirmName="confirmPassword"
          password={password}
          confirmation={confirmation}
          onPasswordChange={setPassword}
          onConfirmationChange={setConfirmation}
          error={touched && !passwordOk ? 'This password does not meet every rule yet.' : null}
          confirmError={touched && !matches ? 'The two passwords are different.' : null}
        />
        <SubmitButton busy={busy} busyLabel="Creating your account…">
          Create account
        </SubmitButton>
      </Form>
      <p className="links">
        <span>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </span>
        <Link to="/confirm">I have a confirmation code</Link>
      </p>
    </section>
  );
}
