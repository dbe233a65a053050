import type { AdminUser } from '@app/api-contract';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { Alert } from '../../components/Alert.tsx';
import { EmailField } from '../../components/EmailField.tsx';
import { Field } from '../../components/Field.tsx';
import { Form } from '../../components/Form.tsx';
import { SubmitButton } from '../../components/SubmitButton.tsx';
import { useAction } from '../../components/use-action.ts';
import { AdminDialog } from './AdminDialog.tsx';

/** Invite a user (AdminCreateUser): Cognito mails a temporary password to change at the first sign-in. */
export function InviteDialog({ onInvited, onClose }: { onInvited(user: AdminUser): void; onClose(): void }) {
  const api = useApi();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const user = await run(() =>
      api.createUser({ email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) }),
    );
    if (user) onInvited(user);
  }

  return (
    <AdminDialog title="Invite a user" onClose={onClose}>
      <p className="meta">
        They get an e-mail with a temporary password and choose their own at the first sign-in.
      </p>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <EmailField label="E-mail address" autoComplete="email" value={email} onChange={setEmail} />
        <Field
          label="Name (optional)"
          name="inviteName"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="row-actions dialog-actions">
          <SubmitButton busy={busy} busyLabel="Inviting…">
            Send invitation
          </SubmitButton>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </Form>
    </AdminDialog>
  );
}
