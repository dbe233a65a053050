import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { recordAuthEvent } from '../events/auth-events.ts';
import {
  type AuthorizeRequest,
  authorizeQuery,
  completeAuthorize,
  ErrorPage,
  errorPageLocation,
  parseAuthorize,
  RedirectError,
  sendRedirectError,
} from '../oauth/authorize.ts';
import { OAuthError, readForm, redirect } from '../oauth/http.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { AuthEventRecord, UserRecord } from '../store/state.ts';
import { postAuthentication } from '../triggers/authentication.ts';
import { clientSecretHash } from '../users/lookup.ts';
import { csrfToken, csrfValid } from './csrf.ts';
import { sendPage } from './page.ts';
import { browserSessionMs, cookie, sessionCookie } from './sessions.ts';

/** What every managed-login page works from: the authorization request it carries, and a CSRF token. */
export interface PageContext {
  ctx: Ctx;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  request: AuthorizeRequest;
  csrf: string;
  /** Set-Cookie for a new CSRF cookie, when the browser had none. */
  headers: Record<string, string | string[]>;
}

/**
 * Resolves the carried /oauth2/authorize parameters; answers the request itself (error page or error
 * redirect) and returns undefined when they are not acceptable.
 */
export function pageContext(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): PageContext | undefined {
  try {
    const request = parseAuthorize(ctx, url.searchParams);
    const { token, setCookie } = csrfToken(req, ctx.oauth.secure);
    return {
      ctx,
      req,
      res,
      url,
      request,
      csrf: token,
      headers: setCookie ? { 'Set-Cookie': setCookie } : {},
    };
  } catch (err) {
    if (err instanceof ErrorPage) redirect(res, errorPageLocation(err));
    else if (err instanceof RedirectError) sendRedirectError(res, err);
    else throw err;
    return undefined;
  }
}

/** The posted form, or undefined (and a 403 page) when its CSRF token does not match the cookie. */
export async function postedForm(p: PageContext): Promise<URLSearchParams | undefined> {
  let form: URLSearchParams | undefined;
  try {
    form = await readForm(p.req);
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
  }
  if (form && csrfValid(p.req, form)) return form;
  sendPage(p.res, {
    title: 'Please try again',
    error: 'This form expired or was not sent from this site. Go back, reload the page and try again.',
    body: `<p><a href="/login?${authorizeQuery(p.url.searchParams)}">Back to sign in</a></p>`,
    status: 403,
    headers: p.headers,
  });
  return undefined;
}

/** A managed-login path with the authorization parameters and a few of its own. */
export function pagePath(p: PageContext, path: string, extra: Record<string, string | undefined> = {}) {
  const q = new URLSearchParams(authorizeQuery(p.url.searchParams));
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  return `${path}?${q}`;
}

/** SECRET_HASH for clients with a secret: the pages call the same operations the API clients call. */
export function secretHashFor(p: PageContext, username: string) {
  return clientSecretHash(p.request.client, username);
}

/**
 * Signs the browser in (a one-hour session cookie) and sends it back to the app with a code. With
 * `challenges` (the steps the page took) the sign-in is an auth event, as an API sign-in is.
 */
export async function signInBrowser(
  p: PageContext,
  user: UserRecord,
  challenges?: AuthEventRecord['challenges'],
) {
  try {
    // PostAuthentication once the password (and any MFA step) is done; a refusal goes back to the app.
    await postAuthentication(p.ctx, p.request.pool, p.request.client, user);
    if (challenges) {
      recordAuthEvent(p.ctx, p.request.pool, user, { type: 'SignIn', response: 'Pass', challenges });
      await p.ctx.store.commit();
    }
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    const { redirectUri, state } = p.request;
    return sendRedirectError(
      p.res,
      new RedirectError({ redirectUri, state, fragment: false }, 'access_denied', err.message),
    );
  }
  const { id, session } = p.ctx.oauth.browsers.create(p.request.pool.id, user.username);
  const set = cookie(sessionCookie(p.request.pool.id), id, browserSessionMs / 1000, p.ctx.oauth.secure);
  try {
    await completeAuthorize(p.ctx, p.res, p.request, session, { 'Set-Cookie': set });
  } catch (err) {
    if (err instanceof RedirectError) return sendRedirectError(p.res, err);
    throw err;
  }
}

/** Fixed notices named in the query, so no page reflects arbitrary text. */
export const notices: Record<string, string> = {
  confirmed: 'Your account is confirmed. Sign in to continue.',
  reset: 'Your password has been changed. Sign in with the new password.',
  sent: 'We sent a code to your e-mail address. It may take a minute to arrive.',
  'signed-out': 'You have been signed out.',
};
