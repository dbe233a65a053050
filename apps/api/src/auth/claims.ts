import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthenticatedUser } from './user.ts';

/** Seconds a token's `iat` may lie in the future (clock drift between the IdP and us). See ADR 0030. */
export const IAT_SKEW_SECONDS = 30;
const MAX_GROUPS = 100;

export class ClaimsError extends Error {
  override name = 'ClaimsError';
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 512;
const isEpoch = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * The claims policy on top of aws-jwt-verify's checks (signature, iss, exp/nbf when present):
 * an access token (`token_use` "access") of an accepted client, with `exp`, `iat` not in the future,
 * and the identity claims a route relies on. Returns the user the guards attach to the request.
 */
export function toAuthenticatedUser(
  payload: JwtPayload,
  token: string,
  opts: { clientIds: ReadonlySet<string>; nowSeconds: number },
): AuthenticatedUser {
  if (payload.token_use !== 'access') throw new ClaimsError('token_use is not "access"');
  if (!isString(payload.client_id) || !opts.clientIds.has(payload.client_id)) {
    throw new ClaimsError('client_id is not accepted');
  }
  if (!isEpoch(payload.exp)) throw new ClaimsError('exp is missing');
  if (payload.exp <= opts.nowSeconds) throw new ClaimsError('token expired');
  if (!isEpoch(payload.iat)) throw new ClaimsError('iat is missing');
  if (payload.iat > opts.nowSeconds + IAT_SKEW_SECONDS) throw new ClaimsError('iat is in the future');
  if (!isString(payload.sub)) throw new ClaimsError('sub is missing');
  if (!isString(payload.jti)) throw new ClaimsError('jti is missing');
  const groupsClaim = payload['cognito:groups'] ?? [];
  if (!Array.isArray(groupsClaim) || groupsClaim.length > MAX_GROUPS || !groupsClaim.every(isString)) {
    throw new ClaimsError('cognito:groups is malformed');
  }
  const scope = payload.scope ?? '';
  if (typeof scope !== 'string') throw new ClaimsError('scope is malformed');
  const originJti = payload.origin_jti;
  if (originJti !== undefined && !isString(originJti)) throw new ClaimsError('origin_jti is malformed');
  const authTime = payload.auth_time;
  return {
    sub: payload.sub,
    username: isString(payload.username) ? payload.username : payload.sub,
    groups: groupsClaim as string[],
    scopes: scope.split(' ').filter(Boolean),
    clientId: payload.client_id,
    jti: payload.jti,
    ...(originJti ? { originJti } : {}),
    exp: payload.exp,
    iat: payload.iat,
    ...(isEpoch(authTime) ? { authTime } : {}),
    accessToken: token,
  };
}
