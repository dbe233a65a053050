import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { authorizeQuery } from '../oauth/authorize.ts';
import { redirect } from '../oauth/http.ts';
import { esc, sendPage } from './page.ts';
import { cookie, sessionCookie } from './sessions.ts';

/**
 * GET /logout: ends the browser's managed-login session, then either goes to `logout_uri` (exactly one
 * of the client's LogoutURLs) or, with redirect_uri and response_type, back through /login. Anything
 * else lands on /error and never redirects.
 */
export function handleLogout(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL) {
  const clientId = url.searchParams.get('client_id') ?? '';
  const client = clientId ? ctx.store.state.clients[clientId] : undefined;
  const fail = (error: string) =>
    redirect(res, `/error?${new URLSearchParams({ error, client_id: clientId })}`);
  if (!client) return fail('invalid_request');
  const logoutUri = url.searchParams.get('logout_uri');
  const redirectUri = url.searchParams.get('redirect_uri');
  let target: string;
  if (logoutUri !== null) {
    if (!client.oauth?.logoutUrls.includes(logoutUri)) return fail('redirect_mismatch');
    target = logoutUri;
  } else if (redirectUri !== null && url.searchParams.get('response_type')) {
    if (!client.oauth?.callbackUrls.includes(redirectUri)) return fail('redirect_mismatch');
    target = `/login?${authorizeQuery(url.searchParams)}`;
  } else {
    return fail('invalid_request');
  }
  ctx.oauth.browsers.end(req, client.userPoolId);
  redirect(res, target, { 'Set-Cookie': cookie(sessionCookie(client.userPoolId), '', 0, ctx.oauth.secure) });
}

const explanations: Record<string, string> = {
  redirect_mismatch: 'The redirect URL is not registered for this app client (CallbackURLs or LogoutURLs).',
  invalid_request: 'The request is missing a valid client_id or a required parameter.',
};

/** GET /error: where requests that must not redirect end up, as with Cognito's managed login. */
export function handleErrorPage(res: ServerResponse, url: URL) {
  const error = url.searchParams.get('error') ?? 'invalid_request';
  sendPage(res, {
    title: 'Something went wrong',
    lead: 'An error was encountered with the requested page.',
    status: 400,
    body: `<p><code>${esc(error)}</code></p><p>${esc(explanations[error] ?? 'The request could not be completed.')}</p>`,
  });
}
