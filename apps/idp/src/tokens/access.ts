import { seconds } from '../clock.ts';
import type { Ctx } from '../context.ts';
import { notAuthorized } from '../protocol/errors.ts';
import type { ClientRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { adminScope } from './issue.ts';
import { verifyOwnJwt } from './jwt.ts';

export interface AccessContext {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  claims: Record<string, unknown>;
}

/**
 * Authenticates an operation called with an AccessToken (GetUser, ChangePassword, GlobalSignOut...):
 * signature with the access key, token_use, expiry, revocation through its session (origin_jti), and the
 * user still existing and enabled. Errors carry Cognito's messages.
 */
export function authenticateAccessToken(ctx: Ctx, token: string, requiredScope = adminScope): AccessContext {
  const claims = verifyOwnJwt(ctx.keys.access, token);
  if (claims?.token_use !== 'access' || typeof claims.iss !== 'string')
    throw notAuthorized('Invalid Access Token');
  // OAuth tokens without aws.cognito.signin.user.admin (and machine tokens) may not call the user-pool API.
  if (
    !String(claims.scope ?? '')
      .split(' ')
      .includes(requiredScope)
  )
    throw notAuthorized('Access Token does not have required scopes');
  const poolId = claims.iss.slice(claims.iss.lastIndexOf('/') + 1);
  const pool = ctx.store.state.pools[poolId];
  const client = ctx.store.state.clients[String(claims.client_id)];
  if (!pool || !client || client.userPoolId !== poolId) throw notAuthorized('Invalid Access Token');
  if (typeof claims.exp !== 'number' || claims.exp <= seconds(ctx.clock()))
    throw notAuthorized('Access Token has expired');
  const session = ctx.store.state.sessions[String(claims.origin_jti)];
  if (!session || session.revokedAt) throw notAuthorized('Access Token has been revoked');
  const user = pool.users[String(claims.username)];
  if (!user) throw notAuthorized('User does not exist.');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { pool, client, user, claims };
}
