import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { sessionByRefreshToken } from '../tokens/issue.ts';
import { authenticateClient } from './client-auth.ts';
import { OAuthError, readForm, sendOAuthError } from './http.ts';
import { anyOrigin } from './token.ts';

/**
 * POST /oauth2/revoke: revokes a refresh token and every access token issued from it. An unknown or
 * already revoked token still answers 200 (RFC 7009), as Cognito does.
 */
export async function handleRevoke(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  try {
    const form = await readForm(req);
    const { client } = authenticateClient(ctx, req, form);
    const token = form.get('token');
    if (!token) throw new OAuthError('invalid_request');
    if (!client.enableTokenRevocation)
      throw new OAuthError('invalid_request', 'Token revocation is not enabled for this client.');
    if (token.split('.').length === 3) throw new OAuthError('unsupported_token_type');
    const session = sessionByRefreshToken(ctx, token);
    if (session && session.clientId === client.clientId && !session.revokedAt) {
      session.revokedAt = ctx.clock();
      await ctx.store.commit();
    }
    res.writeHead(200, { 'Cache-Control': 'no-store', 'Content-Length': 0, ...anyOrigin });
    res.end();
  } catch (err) {
    if (err instanceof OAuthError)
      return sendOAuthError(
        res,
        err.error === 'invalid_client' ? new OAuthError('invalid_client', undefined, 401) : err,
        anyOrigin,
      );
    throw err;
  }
}
