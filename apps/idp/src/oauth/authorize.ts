import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { startFederatedSignIn } from '../federation/sign-in.ts';
import type { BrowserSession } from '../login/sessions.ts';
import type { ClientRecord, PoolRecord } from '../store/state.ts';
import { issueNewSession } from '../tokens/issue.ts';
import { preTokenGeneration } from '../triggers/pre-token.ts';
import { OAuthError, redirect, withParams } from './http.ts';
import { userScopes } from './scopes.ts';

/** The /oauth2/authorize parameters the managed-login pages carry from page to page. */
const carried = [
  'response_type',
  'client_id',
  'redirect_uri',
  'state',
  'scope',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'identity_provider',
  'idp_identifier',
  'login_hint',
  'prompt',
  'lang',
] as const;

export function authorizeQuery(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const k of carried) {
    const v = params.get(k);
    if (v !== null) out.set(k, v);
  }
  return out.toString();
}

export interface AuthorizeRequest {
  client: ClientRecord;
  pool: PoolRecord;
  redirectUri: string;
  responseType: 'code' | 'token';
  state?: string;
  scope: string;
  nonce?: string;
  codeChallenge?: string;
  loginHint?: string;
  prompt?: string;
  /** An external provider named by identity_provider or idp_identifier: the login page is skipped. */
  identityProvider?: string;
}

/** A request that must not be redirected to its redirect_uri: the browser lands on /error instead. */
export class ErrorPage extends Error {
  constructor(
    readonly error: string,
    readonly clientId: string,
  ) {
    super(error);
  }
}

/** An error sent back to the (registered) redirect_uri, with the state. */
export class RedirectError extends OAuthError {
  constructor(
    readonly request: Pick<AuthorizeRequest, 'redirectUri' | 'state'> & { fragment: boolean },
    error: string,
    description?: string,
  ) {
    super(error, description);
  }
}

/**
 * Checks an authorization request in Cognito's order: the client and its exact redirect_uri first (a
 * failure there never redirects), then everything else as an error redirect.
 */
export function parseAuthorize(ctx: Ctx, params: URLSearchParams): AuthorizeRequest {
  const clientId = params.get('client_id') ?? '';
  const client = clientId ? ctx.store.state.clients[clientId] : undefined;
  const pool = client && ctx.store.state.pools[client.userPoolId];
  if (!client || !pool) throw new ErrorPage('invalid_request', clientId);
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client.oauth?.callbackUrls.includes(redirectUri)) throw new ErrorPage('redirect_mismatch', clientId);
  const state = params.get('state') ?? undefined;
  const responseType = params.get('response_type');
  const fail = (error: string, description?: string): never => {
    throw new RedirectError({ redirectUri, state, fragment: responseType === 'token' }, error, description);
  };
  if (responseType !== 'code' && responseType !== 'token')
    fail(
      responseType ? 'unsupported_response_type' : 'invalid_request',
      'response_type must be code or token.',
    );
  const flow = responseType === 'code' ? 'code' : 'implicit';
  if (!client.oauth.enabled || !client.oauth.flows.includes(flow)) fail('unauthorized_client');
  const method = params.get('code_challenge_method');
  const challenge = params.get('code_challenge') ?? undefined;
  if (method !== null && method !== 'S256') fail('invalid_request', 'code_challenge_method must be S256.');
  if ((method === null) !== (challenge === undefined))
    fail('invalid_request', 'code_challenge and code_challenge_method go together.');
  const identityProvider = requestedProvider(pool, client, params);
  if (identityProvider === null)
    fail('invalid_request', 'The identity provider is not configured for this client.');
  let scope = '';
  try {
    scope = userScopes(pool, client, params.get('scope'));
  } catch (err) {
    if (err instanceof OAuthError) fail(err.error, err.description);
    throw err;
  }
  return {
    client,
    pool,
    redirectUri,
    responseType: responseType as 'code' | 'token',
    state,
    scope,
    nonce: params.get('nonce') ?? undefined,
    codeChallenge: challenge,
    loginHint: params.get('login_hint') ?? undefined,
    prompt: params.get('prompt')?.toLowerCase() ?? undefined,
    ...(identityProvider ? { identityProvider } : {}),
  };
}

/**
 * The external provider an authorization request names, by identity_provider or idp_identifier;
 * undefined for none (or COGNITO), null for one the client does not support.
 */
function requestedProvider(pool: PoolRecord, client: ClientRecord, params: URLSearchParams) {
  const supported = client.oauth?.identityProviders ?? [];
  const named = params.get('identity_provider');
  const identifier = params.get('idp_identifier');
  const name =
    named ??
    (identifier === null
      ? undefined
      : Object.values(pool.identityProviders ?? {}).find((p) => p.idpIdentifiers.includes(identifier))
          ?.providerName);
  if (name === undefined) return identifier === null ? undefined : null;
  if (name === 'COGNITO') return supported.includes('COGNITO') ? undefined : null;
  return supported.includes(name) && pool.identityProviders?.[name] ? name : null;
}

/**
 * Whether the client offers the pool's own users (SupportedIdentityProviders has COGNITO): only then do
 * the managed-login pages sign in, sign up or reset passwords, as in Cognito, whose managed login
 * is unavailable to a client without it.
 */
export const offersCognito = (client: ClientRecord) =>
  client.oauth?.identityProviders.includes('COGNITO') ?? false;

/** The managed login's words when the client offers no sign-in there (Cognito's page says the same). */
export const noLoginOption = 'Login option is not available. Please try another one';

/** Sends the browser back to the app: a one-time code, or (implicit) the tokens in the fragment. */
export async function completeAuthorize(
  ctx: Ctx,
  res: ServerResponse,
  request: AuthorizeRequest,
  session: BrowserSession,
  headers: Record<string, string | string[]> = {},
) {
  const { client, pool } = request;
  const user = pool.users[session.username];
  if (!user?.enabled)
    throw new RedirectError({ ...request, fragment: request.responseType === 'token' }, 'access_denied');
  if (request.responseType === 'code') {
    const code = ctx.oauth.codes.issue({
      poolId: pool.id,
      clientId: client.clientId,
      username: user.username,
      redirectUri: request.redirectUri,
      scope: request.scope,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      authTime: session.authTime,
    });
    return redirect(res, withParams(request.redirectUri, { code, state: request.state }), headers);
  }
  // Implicit: access (and ID) tokens in the fragment, never a refresh token.
  const custom = await preTokenGeneration(ctx, pool, client, {
    source: 'HostedAuth',
    user,
    scopes: request.scope.split(' '),
  });
  const tokens = await issueNewSession(
    ctx,
    pool,
    client,
    user,
    { scope: request.scope, nonce: request.nonce, authTime: session.authTime },
    custom,
  );
  await ctx.store.commit();
  const fragment = {
    access_token: tokens.AccessToken,
    id_token: tokens.IdToken,
    token_type: 'Bearer',
    expires_in: String(tokens.ExpiresIn),
    state: request.state,
  };
  return redirect(res, withParams(request.redirectUri, fragment, true), headers);
}

export function sendRedirectError(res: ServerResponse, err: RedirectError) {
  const { redirectUri, state, fragment } = err.request;
  redirect(
    res,
    withParams(redirectUri, { error: err.error, error_description: err.description, state }, fragment),
  );
}

export const errorPageLocation = (err: ErrorPage) =>
  `/error?${new URLSearchParams({ error: err.error, client_id: err.clientId })}`;

/** GET /oauth2/authorize: straight back with a code when the browser is signed in, else to /login. */
export async function handleAuthorize(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL) {
  let request: AuthorizeRequest;
  try {
    request = parseAuthorize(ctx, url.searchParams);
  } catch (err) {
    if (err instanceof ErrorPage) return redirect(res, errorPageLocation(err));
    if (err instanceof RedirectError) return sendRedirectError(res, err);
    throw err;
  }
  if (request.identityProvider) return startFederatedSignIn(ctx, res, request, url.searchParams);
  const session = request.prompt === 'login' ? undefined : ctx.oauth.browsers.find(req, request.pool.id);
  if (session) {
    try {
      return await completeAuthorize(ctx, res, request, session);
    } catch (err) {
      if (err instanceof RedirectError) return sendRedirectError(res, err);
      throw err;
    }
  }
  if (request.prompt === 'none')
    return sendRedirectError(
      res,
      new RedirectError({ ...request, fragment: request.responseType === 'token' }, 'login_required'),
    );
  redirect(res, `/login?${authorizeQuery(url.searchParams)}`);
}
