import type { ServerResponse } from 'node:http';
import { type Ctx, issuerOf } from '../context.ts';
import { sendJson } from './http.ts';

/**
 * The pool's OpenID configuration, listing exactly what this server answers. Cognito serves these
 * endpoints on the pool's domain; locally they live at the server root for every pool (ADR 0081).
 */
export function sendDiscovery(ctx: Ctx, res: ServerResponse, poolId: string) {
  const issuer = issuerOf(ctx, poolId);
  sendJson(
    res,
    200,
    {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      authorization_endpoint: `${ctx.baseUrl}/oauth2/authorize`,
      token_endpoint: `${ctx.baseUrl}/oauth2/token`,
      userinfo_endpoint: `${ctx.baseUrl}/oauth2/userInfo`,
      revocation_endpoint: `${ctx.baseUrl}/oauth2/revoke`,
      end_session_endpoint: `${ctx.baseUrl}/logout`,
      response_types_supported: ['code', 'token'],
      grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
    },
    { 'Cache-Control': 'max-age=300' },
  );
}
