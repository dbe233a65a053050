import { type FormEvent, useState } from 'react';
import { useAuth } from '../../auth/auth-context.ts';
import { Alert } from '../../components/Alert.tsx';
import { Field } from '../../components/Field.tsx';
import { Form } from '../../components/Form.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { useAction } from '../../components/use-action.ts';
import { useToast } from '../../design/toast-context.ts';

/** Cognito's `name` attribute, edited in place (UpdateUserAttributes with the user's token). */
export function NameSection({ name, onSaved }: { name: string; onSaved: () => void }) {
  const auth = useAuth();
  const toast = useToast();
  const [value, setValue] = useState(name);
  const { busy, error, setError, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const next = value.trim();
    if (next === '') return setError('Enter a name, or keep the one you have.');
    if (next === name) return setError('That is already your name.');
    const ok = await run(async () => {
      await auth.service.updateName(next);
      // The ID token names the user too: renew it so the header and this page agree.
      await auth.refresh();
      return true;
    });
    if (ok) {
      toast.show('Name saved.');
      onSaved();
    }
  }

  return (
    <section className="card" aria-labelledby="name-heading">
      <h2 id="name-heading">Name</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit} className="inline-form search-form">
        <Field
          label="Name"
          name="name"
          autoComplete="name"
          maxLength={256}
          required
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <SubmitButton busy={busy} busyLabel="Saving…">
          Save name
        </SubmitButton>
      </Form>
    </section>
  );
}
