import { normaliseEmail } from '@app/pool-definition/email';
import { type FormEvent, useState } from 'react';
import { useAuth } from '../../auth/auth-context.ts';
import { Alert } from '../../components/Alert.tsx';
import { CodeField } from '../../components/CodeField.tsx';
import { DevMailboxHint } from '../../components/DevMailboxHint.tsx';
import { EmailField } from '../../components/EmailField.tsx';
import { Form } from '../../components/Form.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { useAction } from '../../components/use-action.ts';
import { useToast } from '../../design/toast-context.ts';

/**
 * Change of e-mail with re-verification (ADR 0078): the pool keeps the old address for sign-in until
 * the code mailed to the new one is entered here. Typed values survive every error.
 */
export function EmailSection({
  email,
  verified,
  onChanged,
}: {
  email: string;
  verified: boolean;
  onChanged: () => void;
}) {
  const auth = useAuth();
  const toast = useToast();
  const [next, setNext] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const ask = useAction();
  const confirm = useAction();
  const resend = useAction();
  const [resent, setResent] = useState(false);

  async function onAsk(e: FormEvent) {
    e.preventDefault();
    if (normaliseEmail(next) === normaliseEmail(email))
      return ask.setError('That is already your e-mail address.');
    const sent = await ask.run(() => auth.service.changeEmail(next));
    if (sent) {
      setPending(normaliseEmail(next));
      setCode('');
      setResent(false);
    }
  }

  async function onConfirm(e: FormEvent) {
    e.preventDefault();
    setResent(false);
    const ok = await confirm.run(async () => {
      await auth.service.confirmEmail(code);
      await auth.refresh();
      return true;
    });
    if (ok) {
      toast.show(`Your e-mail address is now ${pending}.`);
      setPending(null);
      setNext('');
      onChanged();
    }
  }

  async function onResend() {
    confirm.setError(null);
    const sent = await resend.run(async () => {
      await auth.service.resendEmailCode();
      return true;
    });
    setResent(sent === true);
  }

  return (
    <section className="card" aria-labelledby="email-heading">
      <h2 id="email-heading">E-mail address</h2>
      <p>
        <span className="mono">{email}</span>{' '}
        {verified ? (
          <span className="badge">verified</span>
        ) : (
          <span className="badge warn">not verified</span>
        )}
      </p>
      {pending ? (
        <>
          <Alert kind="info">
            We sent a code to {pending}. Until you enter it, you keep signing in with {email}.
          </Alert>
          <DevMailboxHint email={pending} />
          {confirm.error ? <Alert kind="error">{confirm.error}</Alert> : null}
          {resend.error ? <Alert kind="error">{resend.error}</Alert> : null}
          {resent && !confirm.error ? <Alert kind="success">We sent a new code to {pending}.</Alert> : null}
          <Form onSubmit={onConfirm}>
            <CodeField label="Code from the new address" pattern="[0-9]{6}" value={code} onChange={setCode} />
            <div className="row-actions">
              <SubmitButton busy={confirm.busy} busyLabel="Confirming…">
                Confirm new address
              </SubmitButton>
              <button type="button" disabled={resend.busy} onClick={onResend}>
                Send a new code
              </button>
              <button type="button" onClick={() => setPending(null)}>
                Use another address
              </button>
            </div>
          </Form>
        </>
      ) : (
        <>
          {ask.error ? <Alert kind="error">{ask.error}</Alert> : null}
          <Form onSubmit={onAsk}>
            <EmailField label="New e-mail address" autoComplete="email" value={next} onChange={setNext} />
            <SubmitButton busy={ask.busy} busyLabel="Sending a code…">
              Change e-mail
            </SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}
