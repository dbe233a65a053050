import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { seconds } from '../clock.ts';
import { type Ctx, issuerOf } from '../context.ts';
import { checkRefreshDevice } from '../devices/sign-in.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord } from '../store/state.ts';
import { issueNewSession, lifetimes } from '../tokens/issue.ts';
import { signJwt } from '../tokens/jwt.ts';
import { findRefreshSession, redeemRefreshToken } from '../tokens/refresh.ts';
import { customiseAccessClaims, preTokenGeneration } from '../triggers/pre-token.ts';
import { authenticateClient } from './client-auth.ts';
import { pkceMatches } from './codes.ts';
import { OAuthError, readForm, sendJson, sendOAuthError } from './http.ts';
import { clientReadsScopes, machineScopes } from './scopes.ts';

/** SPAs redeem codes from their own origin; Cognito answers the token endpoint to any origin. */
export const anyOrigin = { 'Access-Control-Allow-Origin': '*' };

type Tokens = { AccessToken: string; IdToken?: string; RefreshToken?: string; ExpiresIn: number };

const tokenResponse = (t: Tokens) => ({
  access_token: t.AccessToken,
  ...(t.IdToken ? { id_token: t.IdToken } : {}),
  ...(t.RefreshToken ? { refresh_token: t.RefreshToken } : {}),
  token_type: 'Bearer',
  expires_in: t.ExpiresIn,
});

function requireOAuthFlow(client: ClientRecord, flow: string) {
  if (!client.oauth?.enabled || !client.oauth.flows.includes(flow))
    throw new OAuthError('unauthorized_client');
}

/**
 * A parameter the grant requires: missing (or empty), the request is malformed — Cognito's
 * `invalid_request` ("grant_type is refresh_token but refresh_token is not included"), not a grant
 * that failed.
 */
function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new OAuthError('invalid_request', `${name} is required for this grant_type.`);
  return value;
}

async function authorizationCode(ctx: Ctx, pool: PoolRecord, client: ClientRecord, form: URLSearchParams) {
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  requireOAuthFlow(client, 'code');
  const grant = ctx.oauth.codes.take(code);
  if (!grant || grant.clientId !== client.clientId) throw new OAuthError('invalid_grant');
  if (redirectUri !== grant.redirectUri) throw new OAuthError('invalid_grant');
  if (grant.codeChallenge) {
    const verifier = form.get('code_verifier');
    if (!verifier || !pkceMatches(grant.codeChallenge, verifier)) throw new OAuthError('invalid_grant');
  }
  if (!clientReadsScopes(client, grant.scope)) throw new OAuthError('invalid_grant');
  const user = pool.users[grant.username];
  if (!user?.enabled) throw new OAuthError('invalid_grant');
  // Checked as for client credentials, but Cognito does not pass it to the trigger from this grant.
  awsClientMetadata(form);
  const custom = await preTokenGeneration(ctx, pool, client, {
    source: 'HostedAuth',
    user,
    scopes: grant.scope.split(' '),
  });
  const tokens = await issueNewSession(
    ctx,
    pool,
    client,
    user,
    { scope: grant.scope, nonce: grant.nonce, authTime: grant.authTime },
    custom,
  );
  await ctx.store.commit();
  return tokenResponse(tokens);
}

/**
 * Refresh through the same code as the API's refresh (rotation included); failures are invalid_grant.
 * A session bound to a confirmed device refreshes only through the API with its DEVICE_KEY: Cognito's
 * token endpoint refreshes API sign-ins only "when remembered devices is not active", and takes no key.
 */
async function refreshToken(ctx: Ctx, pool: PoolRecord, client: ClientRecord, form: URLSearchParams) {
  const token = required(form, 'refresh_token');
  try {
    const found = findRefreshSession(ctx, client, token);
    checkRefreshDevice(pool, found.session, undefined);
    const tokens = await redeemRefreshToken(ctx, pool, client, found);
    await ctx.store.commit();
    return tokenResponse(tokens);
  } catch (err) {
    if (err instanceof CognitoError) throw new OAuthError('invalid_grant');
    throw err;
  }
}

/**
 * `aws_client_metadata`: a URL-encoded JSON object of strings for the pre-token trigger's
 * `clientMetadata`. Cognito accepts it with the authorization code and client credentials grants but
 * passes it on only from client-credentials requests (token endpoint page); an empty one is none.
 */
function awsClientMetadata(form: URLSearchParams): Record<string, string> | undefined {
  const raw = form.get('aws_client_metadata');
  if (!raw) return undefined;
  const invalid = () =>
    new OAuthError('invalid_request', 'aws_client_metadata must be a JSON object of strings.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid();
  const entries = Object.entries(parsed);
  if (entries.some(([, v]) => typeof v !== 'string')) throw invalid();
  return entries.length > 0 ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
}

/**
 * Machine-to-machine: an access token whose `sub` is the client id, with resource-server scopes only,
 * no username, groups or origin_jti, and no ID or refresh token (Cognito's shape).
 */
async function clientCredentials(ctx: Ctx, pool: PoolRecord, client: ClientRecord, form: URLSearchParams) {
  requireOAuthFlow(client, 'client_credentials');
  if (!client.clientSecret) throw new OAuthError('invalid_client');
  const scope = machineScopes(pool, client, form.get('scope'));
  const clientMetadata = awsClientMetadata(form);
  // PreTokenGeneration V3_0 (only) customises machine tokens too.
  const custom = await preTokenGeneration(ctx, pool, client, {
    source: 'ClientCredentials',
    scopes: scope.split(' '),
    clientMetadata,
  });
  const iat = seconds(ctx.clock());
  const life = lifetimes(ctx, client).access;
  const claims = customiseAccessClaims(
    {
      sub: client.clientId,
      token_use: 'access',
      scope,
      auth_time: iat,
      iss: issuerOf(ctx, pool.id),
      exp: iat + life,
      iat,
      version: 2,
      jti: randomUUID(),
      client_id: client.clientId,
    },
    custom,
  );
  const access = await signJwt(ctx.keys.access, claims);
  return tokenResponse({ AccessToken: access, ExpiresIn: life });
}

/** POST /oauth2/token. */
export async function handleToken(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  try {
    const form = await readForm(req);
    const { client, pool } = authenticateClient(ctx, req, form);
    const grantType = form.get('grant_type');
    let body: unknown;
    if (grantType === 'authorization_code') body = await authorizationCode(ctx, pool, client, form);
    else if (grantType === 'refresh_token') body = await refreshToken(ctx, pool, client, form);
    else if (grantType === 'client_credentials') body = await clientCredentials(ctx, pool, client, form);
    else throw new OAuthError(grantType ? 'unsupported_grant_type' : 'invalid_request');
    sendJson(res, 200, body, anyOrigin);
  } catch (err) {
    if (err instanceof OAuthError) return sendOAuthError(res, err, anyOrigin);
    throw err;
  }
}
