import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '../auth/auth-context.ts';
import type { FactorStatus } from '../auth/factors.ts';
import { Alert } from '../components/Alert.tsx';
import { Loading } from '../components/Loading.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import type { SignInOptions } from '../config/config.ts';
import { EmailCodesSection } from './security/EmailCodesSection.tsx';
import { PasskeysSection } from './security/PasskeysSection.tsx';
import { RecoverySection } from './security/RecoverySection.tsx';
import { TotpSection } from './security/TotpSection.tsx';

/**
 * Sign-in security (ADR 0145): which factors are on (GetUserAuthFactors), the authenticator app,
 * codes by e-mail, the preferred second step, passkeys, and what to do when a factor is lost.
 */
export default function SecurityPage() {
  const { factors, signInOptions } = useAuth().service;
  const [status, setStatus] = useState<FactorStatus | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await factors.status());
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : 'Could not load your sign-in methods.');
    }
  }, [factors]);
  useEffect(() => {
    void reload();
  }, [reload]);

  // Shown where the pool offers them, or once on (a pool changed since).
  const emailCodes = signInOptions.emailMfa || Boolean(status?.mfa.includes('EMAIL_OTP'));
  const passkeys = signInOptions.choiceSignIn || Boolean(status?.signIn.includes('WEB_AUTHN'));

  return (
    <div className="stack">
      <PageTitle>Sign-in security</PageTitle>
      <section className="card" aria-labelledby="factors-heading">
        <h2 id="factors-heading">How you sign in</h2>
        {loadError ? <Alert kind="error">{loadError}</Alert> : null}
        {!status && !loadError ? <Loading label="Loading your sign-in methods…" /> : null}
        {status ? <FactorList status={status} offers={signInOptions} /> : null}
      </section>
      {status ? (
        <>
          <TotpSection status={status} onChanged={reload} />
          {emailCodes ? <EmailCodesSection status={status} onChanged={reload} /> : null}
          {passkeys ? <PasskeysSection onChanged={reload} /> : null}
        </>
      ) : null}
      <RecoverySection passkeys={passkeys} emailCodes={emailCodes} />
    </div>
  );
}

const on = (yes: boolean) =>
  yes ? <span className="badge">On</span> : <span className="badge neutral">Off</span>;

function FactorList({ status, offers }: { status: FactorStatus; offers: SignInOptions }) {
  const second = status.mfa.length > 0;
  return (
    <>
      <p>
        {second
          ? 'After your password, you confirm it is you with a second step.'
          : 'Only your password protects your account. Add a second step below.'}
      </p>
      <dl className="details factor-list">
        <dt>Password</dt>
        <dd>{on(status.signIn.includes('PASSWORD'))}</dd>
        <dt>Authenticator app</dt>
        <dd>
          {on(status.mfa.includes('SOFTWARE_TOKEN_MFA'))}
          {status.preferred === 'SOFTWARE_TOKEN_MFA' ? (
            <span className="badge neutral">Preferred</span>
          ) : null}
        </dd>
        {offers.emailMfa || status.mfa.includes('EMAIL_OTP') ? (
          <>
            <dt>Codes by e-mail</dt>
            <dd>
              {on(status.mfa.includes('EMAIL_OTP'))}
              {status.preferred === 'EMAIL_OTP' ? <span className="badge neutral">Preferred</span> : null}
            </dd>
          </>
        ) : null}
        {offers.choiceSignIn || status.signIn.includes('WEB_AUTHN') ? (
          <>
            <dt>Passkeys</dt>
            <dd>{on(status.signIn.includes('WEB_AUTHN'))}</dd>
          </>
        ) : null}
      </dl>
    </>
  );
}
