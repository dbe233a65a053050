import { finishAssertion, startAssertion } from '../mfa/webauthn.ts';
import { allowedFirstFactors } from '../operations/auth-factors.ts';
import { CognitoError } from '../protocol/errors.ts';
import { findUser } from '../users/lookup.ts';
import { type PageContext, pagePath, signInBrowser } from './flow.ts';
import { esc, form, link, sendPage } from './page.ts';

/** Whether the login page offers "Sign in with a passkey" (the pool allows WEB_AUTHN first). */
export const offersPasskeys = (p: PageContext) => allowedFirstFactors(p.request.pool).includes('WEB_AUTHN');

/**
 * Runs navigator.credentials.get with the IdP's request options and posts the answer back; the
 * only script the managed login has (WebAuthn exists only as a browser API).
 */
const script = `(async () => {
  const f = document.getElementById('passkey-form');
  try {
    const o = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(document.getElementById('passkey-options').value));
    const c = await navigator.credentials.get({ publicKey: o });
    f.elements.credential.value = JSON.stringify(c.toJSON());
    f.submit();
  } catch {
    document.getElementById('passkey-status').textContent = 'The passkey was not used. Try again, or sign in with your password.';
  }
})();`;

/** POST /login with method=passkey: the WEB_AUTHN step for the named user, as a page. */
export async function startPasskeyPage(p: PageContext, username: string, fail: (message: string) => void) {
  const { ctx, request } = p;
  const user = findUser(request.pool, username);
  // The same answer for an unknown account and one without a passkey: nothing to enumerate here.
  if (!user?.enabled || !(user.webAuthn?.length ?? 0))
    return fail('No passkey is registered for this account. Sign in with your password.');
  const challenge = await startAssertion(ctx, request.pool, request.client, user, false);
  sendPage(p.res, {
    title: 'Sign in with a passkey',
    lead: 'Follow your browser’s prompt to use your passkey.',
    headers: p.headers,
    script,
    body: `<input type="hidden" id="passkey-options" value="${esc(challenge.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS)}">
<p id="passkey-status" role="status"></p>
${form(pagePath(p, '/login'), p.csrf, { passkey_session: challenge.Session, credential: '' }, '', 'Use my passkey').replace('<form ', '<form id="passkey-form" ')}
<nav>${link(pagePath(p, '/login'), 'Sign in with a password instead')}</nav>`,
  });
}

/** POST /login with the browser's assertion: verified, then the browser is signed in (no MFA after a passkey). */
export async function finishPasskeyPage(
  p: PageContext,
  posted: URLSearchParams,
  fail: (message: string) => void,
) {
  const { ctx, request } = p;
  try {
    const user = await finishAssertion(
      ctx,
      request.pool,
      request.client,
      { CREDENTIAL: posted.get('credential') ?? '' },
      posted.get('passkey_session') ?? '',
      false,
    );
    await ctx.store.commit();
    return signInBrowser(p, user, []);
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    return fail(err.message);
  }
}
