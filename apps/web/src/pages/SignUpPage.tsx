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
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [acceptTerms, setAcceptTerms] = useState(false);
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
    if (!firstName.trim() || !lastName.trim()) return setError('Enter your first and last name.');
    if (!acceptTerms) return setError('Accept the terms of service to create an account.');
    const result = await run(() => service.signUp({ email, password, firstName, lastName, acceptTerms }));
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
          label="First name"
          name="first_name"
          autoComplete="given-name"
          maxLength={100}
          value={firstName}
          onChange={(e) => setFirstName(e.target.value)}
        />
        <Field
          label="Last name"
          name="last_name"
          autoComplete="family-name"
          maxLength={100}
          value={lastName}
          onChange={(e) => setLastName(e.target.value)}
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
        <label className="checkbox">
          <input
            type="checkbox"
            name="accept_terms"
            checked={acceptTerms}
            onChange={(e) => setAcceptTerms(e.target.checked)}
          />{' '}
          I accept the terms of service
        </label>
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
