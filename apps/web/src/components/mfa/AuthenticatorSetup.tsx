import { type FormEvent, lazy, Suspense, useState } from 'react';
import { groupedSecret } from '../../auth/factors.ts';
import { Alert } from '../Alert.tsx';
import { CodeField } from '../CodeField.tsx';
import { Form } from '../Form.tsx';
import { Loading } from '../Loading.tsx';
import { SubmitButton } from '../SubmitButton.tsx';
import { useAction } from '../use-action.ts';

// The QR encoder is loaded only when a set-up starts (bundle report: an on-demand chunk).
const QrCode = lazy(() => import('./QrCode.tsx'));

/**
 * Adding an authenticator app: the QR code and the key to type by hand, then the app's first code.
 * Used by the security page and by the sign-in's MFA_SETUP step.
 */
export function AuthenticatorSetup({
  secret,
  uri,
  onVerify,
  submitLabel = 'Turn on',
  children,
}: {
  secret: string;
  uri: string;
  onVerify: (code: string) => Promise<unknown>;
  submitLabel?: string;
  children?: React.ReactNode;
}) {
  const [code, setCode] = useState('');
  const { busy, error, run } = useAction();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    await run(() => onVerify(code));
  }

  return (
    <div className="authenticator-setup">
      <ol className="steps">
        <li>
          Open an authenticator app (1Password, Google Authenticator, Microsoft Authenticator, Aegis…) and
          scan this code.
          <div className="qr-frame">
            <Suspense fallback={<Loading label="Drawing the QR code…" />}>
              <QrCode text={uri} label="QR code for your authenticator app" />
            </Suspense>
          </div>
        </li>
        <li>
          Cannot scan it? Enter this key in the app instead (time-based, 6 digits):
          <p className="secret-key">
            <code className="mono" data-testid="totp-secret">
              {groupedSecret(secret)}
            </code>
          </p>
        </li>
        <li>Enter the 6-digit code the app shows.</li>
      </ol>
      {error ? <Alert kind="error">{error}</Alert> : null}
      <Form onSubmit={onSubmit}>
        <CodeField
          label="Code from the app"
          value={code}
          onChange={setCode}
          pattern="[0-9]{6}"
          hint="6 digits; a new one every 30 seconds."
        />
        <SubmitButton busy={busy} busyLabel="Checking…">
          {submitLabel}
        </SubmitButton>
      </Form>
      {children}
    </div>
  );
}
