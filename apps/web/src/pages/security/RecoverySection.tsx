/** What to do when a phone or passkey is lost: said before it happens. */
export function RecoverySection() {
  return (
    <section className="card" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">If you lose a device</h2>
      <ul className="recovery">
        <li>
          Turn on more than one way to sign in — an authenticator app and a passkey, or codes by e-mail — so
          losing one device does not lock you out.
        </li>
        <li>
          Lost your phone but can still sign in another way? Sign in, then remove the lost app or passkey here
          and add a new one.
        </li>
        <li>
          No way left to sign in? Ask an administrator to reset your two-step sign-in. They turn every second
          step off for your account and sign it out everywhere; you then sign in with your password (reset it
          with “Forgot your password?” if needed) and set up a new app here. Nobody else can read your codes
          or passkeys, so this reset is the only way back.
        </li>
      </ul>
    </section>
  );
}
