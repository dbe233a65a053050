/**
 * The browser's way through a federated sign-in: /oauth2/authorize (with identity_provider, or the
 * "Sign in with …" button) → the provider → /oauth2/idpresponse → the app's redirect_uri with a code,
 * as Cognito's managed login does it. ADR 0161.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { pageContext, signInBrowser } from '../login/flow.ts';
import { sendPage } from '../login/page.ts';
import {
  type AuthorizeRequest,
  authorizeQuery,
  RedirectError,
  sendRedirectError,
} from '../oauth/authorize.ts';
import { redirect } from '../oauth/http.ts';
import { CognitoError } from '../protocol/errors.ts';
import { preAuthentication } from '../triggers/authentication.ts';
import { providerAuthorizationUrl, redeemProviderCode, takePending } from './relying-party.ts';
import { federatedSignIn } from './users.ts';

const fail = (
  request: Pick<AuthorizeRequest, 'redirectUri' | 'state'>,
  error: string,
  description?: string,
) =>
  new RedirectError(
    { redirectUri: request.redirectUri, state: request.state, fragment: false },
    error,
    description,
  );

/** Sends the browser to the provider named by identity_provider (or idp_identifier). */
export async function startFederatedSignIn(
  ctx: Ctx,
  res: ServerResponse,
  request: AuthorizeRequest,
  params: URLSearchParams,
) {
  const p = request.pool.identityProviders?.[request.identityProvider!];
  if (p?.providerType !== 'OIDC')
    return sendRedirectError(
      res,
      fail(request, 'invalid_request', 'Only OIDC identity providers are supported locally.'),
    );
  const query = new URLSearchParams(authorizeQuery(params));
  let location: string;
  try {
    location = await providerAuthorizationUrl(ctx, request.pool.id, p, query.toString());
  } catch (err) {
    ctx.log({ event: 'federation', provider: p.providerName, error: (err as Error).message });
    return sendRedirectError(
      res,
      fail(request, 'server_error', `The identity provider ${p.providerName} did not answer.`),
    );
  }
  redirect(res, location);
}

/** GET /oauth2/idpresponse: the provider's answer; signs the user in and answers the app's request. */
export async function handleIdpResponse(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL) {
  const state = url.searchParams.get('state');
  const pending = takePending(ctx, state);
  if (!pending)
    return sendPage(res, {
      title: 'Something went wrong',
      error: 'This sign-in expired or was already used. Go back to the app and sign in again.',
      body: '',
      status: 400,
    });
  const p = pageContext(ctx, req, res, new URL(`/login?${pending.authorizeQuery}`, ctx.baseUrl));
  if (!p) return;
  const { pool, client } = p.request;
  const provider = pool.identityProviders?.[pending.providerName];
  const providerError = url.searchParams.get('error');
  if (!provider || providerError)
    return sendRedirectError(res, fail(p.request, providerError ? 'access_denied' : 'invalid_request'));
  let claims: Record<string, unknown>;
  try {
    claims = await redeemProviderCode(
      ctx,
      provider,
      pending,
      new URL(url.pathname + url.search, ctx.baseUrl),
      state!,
    );
  } catch (err) {
    ctx.log({ event: 'federation', provider: provider.providerName, error: (err as Error).message });
    return sendRedirectError(
      res,
      fail(p.request, 'invalid_request', 'The identity provider sign-in could not be verified.'),
    );
  }
  try {
    const user = await federatedSignIn(ctx, pool, client, provider, claims);
    if (!user.enabled) return sendRedirectError(res, fail(p.request, 'invalid_request', 'User is disabled.'));
    await preAuthentication(ctx, pool, client, { user, username: user.username });
    return await signInBrowser(p, user);
  } catch (err) {
    // A trigger's refusal goes back to the app as Cognito sends it: error=invalid_request plus its message.
    if (err instanceof CognitoError)
      return sendRedirectError(res, fail(p.request, 'invalid_request', err.message));
    throw err;
  }
}
