/**
 * What to do when a phone or passkey is lost: said before it happens, naming only the ways to sign in
 * this app offers (or the user already has).
 */
export function RecoverySection({ passkeys, emailCodes }: { passkeys: boolean; emailCodes: boolean }) {
  const backups = [passkeys ? 'a passkey' : null, emailCodes ? 'codes by e-mail' : null].filter(Boolean);
  return (
    <section className="card" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">If you lose a device</h2>
      <ul className="recovery">
        {backups.length > 0 ? (
          <>
            <li>
              Turn on more than one way to sign in — an authenticator app and {backups.join(' or ')} — so
              losing one device does not lock you out.
            </li>
            <li>
              Lost your phone but can still sign in another way? Sign in, then remove the lost app
              {passkeys ? ' or passkey' : ''} here and add a new one.
            </li>
          </>
        ) : null}
        <li>
          No way left to sign in? Ask an administrator to reset your two-step sign-in. They turn every second
          step off for your account and sign it out everywhere; you then sign in with your password (reset it
          with “Forgot your password?” if needed) and set up a new app here. Nobody else can read your codes
          {passkeys ? ' or passkeys' : ''}, so this reset is the only way back.
        </li>
      </ul>
    </section>
  );
}
