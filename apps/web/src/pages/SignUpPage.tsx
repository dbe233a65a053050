import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context.ts';
import { passwordAcceptable } from '../auth/password-policy.ts';
import { Alert } from '../components/Alert.tsx';
import { Field } from '../components/Field.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { PasswordHints } from '../components/PasswordHints.tsx';
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
      navigate(`/confirm?email=${encodeURIComponent(email.trim().toLowerCase())}`, {
        state: { destination: result.destination },
      });
    }
  }

  return (
    <section className="card narrow">
      <PageTitle>Create an account</PageTitle>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <form onSubmit={onSubmit}>
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label="E-mail"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={touched && !passwordOk ? 'This password does not meet every rule yet.' : null}
          hint={<PasswordHints password={password} confirmation={confirmation} />}
        />
        <Field
          label="Confirm password"
          type="password"
          name="confirmPassword"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={(e) => setConfirmation(e.target.value)}
          error={touched && !matches ? 'The two passwords are different.' : null}
        />
        <SubmitButton busy={busy} busyLabel="Creating your account…">
          Create account
        </SubmitButton>
      </form>
      <p className="links">
        <span>
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </span>
        <Link to="/confirm">I have a confirmation code</Link>
      </p>
    </section>
  );
}
