import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { CognitoError } from '../protocol/errors.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { readForm, sendJson } from './http.ts';
import { attributesOfScope } from './scopes.ts';
import { anyOrigin } from './token.ts';

function unauthorized(res: ServerResponse, error: string, description: string, status = 401) {
  res.writeHead(status, {
    'WWW-Authenticate': `Bearer error="${error}", error_description="${description}"`,
    'Content-Type': 'application/json;charset=UTF-8',
    'Cache-Control': 'no-store',
    ...anyOrigin,
  });
  res.end(JSON.stringify({ error, error_description: description }));
}

/**
 * GET|POST /oauth2/userInfo: the user's attributes the token's scopes allow (openid required). With
 * `profile` (Cognito: "all user attributes that are readable by the client") or with only openid,
 * every attribute the client may read; with email and/or phone and no profile, those scopes'
 * attributes (and custom ones). Values are strings, as Cognito sends them.
 */
export async function handleUserInfo(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  const header = String(req.headers.authorization ?? '');
  let token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (!token && req.method === 'POST')
    token = (await readForm(req).catch(() => undefined))?.get('access_token') ?? undefined;
  // Cognito's documented answer for a request without a bearer token.
  if (!token) return unauthorized(res, 'invalid_request', 'Bad OAuth2 request at UserInfo Endpoint', 400);
  let found: ReturnType<typeof authenticateAccessToken>;
  try {
    found = authenticateAccessToken(ctx, token, 'openid');
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    return unauthorized(
      res,
      'invalid_token',
      'Access token is expired, disabled, or deleted, or the user has globally signed out.',
    );
  }
  const { user, client, claims } = found;
  const scopes = String(claims.scope).split(' ');
  const narrowed =
    !scopes.includes('profile') && Object.keys(attributesOfScope).some((s) => scopes.includes(s));
  const allowed = narrowed ? new Set(scopes.flatMap((s) => attributesOfScope[s] ?? [])) : undefined;
  const readable = client.readAttributes;
  const body: Record<string, string> = { sub: user.sub };
  for (const [k, v] of Object.entries(user.attributes)) {
    if (allowed && !allowed.has(k) && !k.startsWith('custom:')) continue;
    if (readable && !readable.includes(k)) continue;
    body[k] = v;
  }
  body.username = user.username;
  sendJson(res, 200, body, anyOrigin);
}
