/**
 * GET|POST /passkeys/add?client_id=…&redirect_uri=…: managed login's "add a passkey" page (Cognito's
 * managed-login-only endpoint). A browser signed in on the managed login (its session cookie) creates
 * a passkey with the browser's WebAuthn prompt; the IdP verifies it as CompleteWebAuthnRegistration
 * does and sends the browser back to redirect_uri (one of the client's CallbackURLs).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { completeRegistration, startRegistration } from '../mfa/webauthn.ts';
import { readForm, redirect } from '../oauth/http.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { ClientRecord } from '../store/state.ts';
import { csrfToken, csrfValid } from './csrf.ts';
import { esc, form, link, sendPage } from './page.ts';

/** Runs navigator.credentials.create with the IdP's creation options and posts the new credential back. */
const script = `(async () => {
  const f = document.getElementById('passkey-form');
  f.addEventListener('submit', async (e) => {
    if (f.elements.credential.value) return;
    e.preventDefault();
    try {
      const o = PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(document.getElementById('passkey-options').value));
      const c = await navigator.credentials.create({ publicKey: o });
      f.elements.credential.value = JSON.stringify(c.toJSON());
      f.submit();
    } catch {
      document.getElementById('passkey-status').textContent = 'No passkey was created. Try again, or go back to the app.';
    }
  });
})();`;

interface Target {
  client: ClientRecord;
  redirectUri: string;
}

/** client_id and an exactly registered redirect_uri, or the /error page (never a redirect elsewhere). */
function target(ctx: Ctx, res: ServerResponse, url: URL): Target | undefined {
  const clientId = url.searchParams.get('client_id') ?? '';
  const client = clientId ? ctx.store.state.clients[clientId] : undefined;
  const redirectUri = url.searchParams.get('redirect_uri') ?? '';
  const error = !client
    ? 'invalid_request'
    : !client.oauth?.callbackUrls.includes(redirectUri)
      ? 'redirect_mismatch'
      : '';
  if (!client || error) {
    redirect(
      res,
      `/error?${new URLSearchParams({ error: error || 'invalid_request', client_id: clientId })}`,
    );
    return undefined;
  }
  return { client, redirectUri };
}

export async function handleAddPasskey(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL) {
  const t = target(ctx, res, url);
  if (!t) return;
  const pool = ctx.store.state.pools[t.client.userPoolId];
  const session = pool ? ctx.oauth.browsers.find(req, pool.id) : undefined;
  const user = session && pool ? pool.users[session.username] : undefined;
  const { token, setCookie } = csrfToken(req, ctx.oauth.secure);
  const headers: Record<string, string> = setCookie ? { 'Set-Cookie': setCookie } : {};
  const back = link(t.redirectUri, 'Back to the app');
  if (!pool || !user?.enabled) {
    // Cognito's page also needs a managed-login session: sign in there first, then come back.
    const signIn = `/login?${new URLSearchParams({ client_id: t.client.clientId, redirect_uri: t.redirectUri, response_type: 'code' })}`;
    return sendPage(res, {
      title: 'Sign in first',
      lead: 'Adding a passkey needs you to be signed in on this sign-in page.',
      headers,
      status: 401,
      body: `<nav>${link(signIn, 'Sign in')} · ${back}</nav>`,
    });
  }
  let error: string | undefined;
  if (req.method === 'POST') {
    let posted: URLSearchParams | undefined;
    try {
      posted = await readForm(req);
    } catch {
      posted = undefined;
    }
    if (!posted || !csrfValid(req, posted)) error = 'This form expired. Try again.';
    else {
      try {
        await completeRegistration(ctx, pool, user, JSON.parse(posted.get('credential') || 'null'));
        await ctx.store.commit();
        return redirect(res, t.redirectUri);
      } catch (err) {
        if (!(err instanceof CognitoError) && !(err instanceof SyntaxError)) throw err;
        error = err instanceof CognitoError ? err.message : 'The browser sent no passkey. Try again.';
      }
    }
  }
  const options = await startRegistration(ctx, pool, t.client, user);
  const action = `/passkeys/add?${new URLSearchParams({ client_id: t.client.clientId, redirect_uri: t.redirectUri })}`;
  sendPage(res, {
    title: 'Add a passkey',
    lead: `Create a passkey for ${user.attributes.email ?? user.username} with your device's screen lock or security key. Next time you can sign in with it instead of a password.`,
    ...(error ? { error } : {}),
    status: error ? 400 : 200,
    headers,
    script,
    body: `<input type="hidden" id="passkey-options" value="${esc(JSON.stringify(options))}">
<p id="passkey-status" role="status"></p>
${form(action, token, { credential: '' }, '', 'Create a passkey').replace('<form ', '<form id="passkey-form" ')}
<nav>${back}</nav>`,
  });
}
