import type { Ctx } from '../context.ts';
import {
  CognitoError,
  notAuthorized,
  unsupportedOperation,
  unsupportedTokenType,
} from '../protocol/errors.ts';
import { type Input, optStr, str } from '../protocol/params.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { revokeUserSessions, sessionByRefreshToken } from '../tokens/issue.ts';
import { adminUser, clientById, poolById } from '../users/lookup.ts';

export const tokenOperations = {
  /** Signs the user out everywhere: every refresh token and every access token of theirs stops working. */
  async GlobalSignOut(ctx: Ctx, input: Input) {
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    revokeUserSessions(ctx, pool.id, user.username);
    await ctx.store.commit();
    return {};
  },

  async AdminUserGlobalSignOut(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    revokeUserSessions(ctx, pool.id, user.username);
    await ctx.store.commit();
    return {};
  },

  /** Revokes one refresh token and every access/ID token issued from it (same origin_jti). */
  async RevokeToken(ctx: Ctx, input: Input) {
    const token = str(input, 'Token');
    const { client } = clientById(ctx, str(input, 'ClientId'));
    if (client.clientSecret && optStr(input, 'ClientSecret') !== client.clientSecret)
      throw notAuthorized('Client secret is missing or does not match.');
    if (!client.enableTokenRevocation)
      throw unsupportedOperation('Token revocation is not enabled for this client.');
    if (token.split('.').length === 3) throw unsupportedTokenType('Only refresh tokens can be revoked.');
    const session = sessionByRefreshToken(ctx, token);
    // An unknown or already revoked token is not an error (RFC 7009), as with Cognito.
    if (!session) return {};
    if (session.clientId !== client.clientId)
      throw new CognitoError('UnauthorizedException', 'The refresh token was not issued to this client.');
    session.revokedAt ??= ctx.clock();
    await ctx.store.commit();
    return {};
  },
};
