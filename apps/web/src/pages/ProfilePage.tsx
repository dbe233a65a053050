import type { Me } from '@app/api-contract';
import { type FormEvent, useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { passwordAcceptable } from '../auth/password-policy.ts';
import { Alert } from '../components/Alert.tsx';
import { Form } from '../components/Form.tsx';
import { Loading } from '../components/Loading.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';
import { DeleteAccountSection } from './account/DeleteAccountSection.tsx';
import { DevicesSection } from './account/DevicesSection.tsx';
import { EmailSection } from './account/EmailSection.tsx';
import { NameSection } from './account/NameSection.tsx';
import { SessionsSection } from './account/SessionsSection.tsx';

/** Attributes from Cognito (GetUser) and the API's view of the caller (GET /users/me). */
export default function ProfilePage() {
  const auth = useAuth();
  const api = useApi();
  const [attributes, setAttributes] = useState<Record<string, string> | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  // Cognito's attributes and the API's record load independently: one failing does not hide the other.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a reload after a change.
  useEffect(() => {
    let live = true;
    const failed = (err: unknown) =>
      live && setLoadError(err instanceof Error ? err.message : 'Could not load your profile.');
    auth.service.attributes().then((a) => live && setAttributes(a), failed);
    api.me().then((m) => live && setMe(m), failed);
    return () => {
      live = false;
    };
  }, [auth.service, api, version]);

  const user = auth.session?.user;
  // A settings page's table of contents: the sections below, each a jump away (a long page on a phone).
  const sections: [string, string][] = [
    ...(attributes
      ? ([
          ['name-heading', 'Name'],
          ['email-heading', 'E-mail'],
        ] as [string, string][])
      : []),
    ['change-password', 'Password'],
    ['sessions', 'Sessions'],
    ['devices-heading', 'Devices'],
    ...(attributes ? ([['delete-heading', 'Delete account']] as [string, string][]) : []),
  ];
  return (
    <div className="stack">
      <PageTitle>Your profile</PageTitle>
      <nav aria-label="Profile sections" className="page-toc">
        <ul>
          {sections.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <section className="card" aria-labelledby="details">
        <h2 id="details">Details</h2>
        {loadError ? <Alert kind="error">{loadError}</Alert> : null}
        {!attributes && !loadError ? <Loading label="Loading your details…" /> : null}
        {attributes ? (
          <dl className="details">
            <dt>Groups</dt>
            <dd>{user?.groups.length ? user.groups.join(', ') : 'none'}</dd>
            <dt>User id</dt>
            <dd className="mono">{attributes.sub}</dd>
            {me ? (
              <>
                <dt>Member since</dt>
                <dd>{new Date(me.created_at).toLocaleDateString()}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </section>
      {attributes ? (
        <>
          <NameSection key={attributes.name ?? ''} name={attributes.name ?? ''} onSaved={reload} />
          <EmailSection
            email={attributes.email ?? ''}
            verified={attributes.email_verified === 'true'}
            onChanged={reload}
          />
        </>
      ) : null}
      <ChangePassword />
      <SessionsSection />
      <DevicesSection />
      {attributes ? <DeleteAccountSection email={attributes.email ?? ''} /> : null}
    </div>
  );
}

function ChangePassword() {
  const auth = useAuth();
  const api = useApi();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [done, setDone] = useState<null | 'everywhere' | 'cognitoOnly'>(null);
  const { busy, error, setError, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    if (!passwordAcceptable(next)) return setError('Choose a new password that meets every rule below it.');
    if (next !== confirmation) return setError('The two new passwords are different.');
    // Every other session ends too: through the API so it refuses their tokens at once (ADR 0070).
    const result = await run(() => auth.changePassword(current, next, () => api.signOutEverywhere()));
    if (result) {
      setDone(result.everywhere ? 'everywhere' : 'cognitoOnly');
      setCurrent('');
      setNext('');
      setConfirmation('');
    }
  }

  return (
    <section className="card" aria-labelledby="change-password">
      <h2 id="change-password">Change password</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {done === 'everywhere' ? (
        <Alert kind="success">
          Your password has been changed, and every other device has been signed out.
        </Alert>
      ) : null}
      {done === 'cognitoOnly' ? (
        <Alert kind="success">
          Your password has been changed and other devices can no longer renew their sessions; the app could
          not reach the API, so theirs may keep working there for up to an hour.
        </Alert>
      ) : null}
      <Form onSubmit={onSubmit}>
        <PasswordField
          label="Current password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
        <NewPasswordFields
          password={next}
          confirmation={confirmation}
          onPasswordChange={setNext}
          onConfirmationChange={setConfirmation}
        />
        <SubmitButton busy={busy} busyLabel="Changing…">
          Change password
        </SubmitButton>
      </Form>
    </section>
  );
}
