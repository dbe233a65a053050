import { normaliseEmail } from '@app/pool-definition/email';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { useAuth } from '../../auth/auth-context.ts';
import { Alert } from '../../components/Alert.tsx';
import { Field } from '../../components/Field.tsx';
import { Form } from '../../components/Form.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { useAction } from '../../components/use-action.ts';

export const ACCOUNT_DELETED = 'Your account has been deleted.';

/**
 * Deletes the account through the API (ADR 0150), not Cognito's DeleteUser: the API also refuses the
 * tokens already issued and removes the user's data. Only once the user has typed their e-mail
 * address: a deliberate act, not a slip of the mouse.
 */
export function DeleteAccountSection({ email }: { email: string }) {
  const auth = useAuth();
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const { busy, error, setError, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (normaliseEmail(typed) !== normaliseEmail(email))
      return setError(`Type ${email} to confirm; nothing has been deleted.`);
    await run(async () => {
      await api.deleteMe();
      // The refresh token died with the account; this only clears the browser's copy.
      await auth.endSession(ACCOUNT_DELETED);
    });
  }

  return (
    <section className="card danger-zone" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete account</h2>
      <p>
        Deleting your account removes your sign-in and your items for good and signs you out everywhere. It
        cannot be undone.
      </p>
      {open ? (
        <div className="confirm-box">
          {error ? <Alert kind="error">{error}</Alert> : null}
          <Form onSubmit={onSubmit}>
            <Field
              label="Type your e-mail address to confirm"
              name="confirmEmail"
              autoComplete="off"
              required
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <div className="row-actions">
              <SubmitButton busy={busy} busyLabel="Deleting…" className="danger">
                Delete my account
              </SubmitButton>
              <button
                type="button"
                onClick={() => {
                  setOpen(false);
                  setTyped('');
                  setError(null);
                }}
              >
                Cancel
              </button>
            </div>
          </Form>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setOpen(true)}>
          Delete account…
        </button>
      )}
    </section>
  );
}
