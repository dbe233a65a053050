import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import {
  TokenClaimsError,
  TokenClientError,
  TokenExpiredError,
  TokenNotYetValidError,
  TokenUseError,
} from './token-errors.ts';
import type { AuthenticatedUser } from './user.ts';

/** Seconds a token's `iat` may lie in the future (clock drift between the IdP and us). See ADR 0030. */
export const IAT_SKEW_SECONDS = 30;
const MAX_GROUPS = 100;

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 512;
const isEpoch = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * Which principal a token stands for, by its client: user clients mint user tokens, machine clients
 * (client credentials) mint tokens whose `sub` is the client id and that name no user. A token of a
 * client in neither list, or of the wrong shape for its client, is refused.
 */
function principalKind(
  payload: JwtPayload,
  opts: { clientIds: ReadonlySet<string>; machineClientIds?: ReadonlySet<string> },
): AuthenticatedUser['kind'] {
  const clientId = payload.client_id;
  if (!isString(clientId)) throw new TokenClientError('client_id is not accepted');
  const machineShaped = payload.sub === clientId && payload.username === undefined;
  if (opts.machineClientIds?.has(clientId)) {
    if (!machineShaped) throw new TokenClaimsError('machine client token names a user');
    return 'machine';
  }
  if (!opts.clientIds.has(clientId)) throw new TokenClientError('client_id is not accepted');
  if (machineShaped) throw new TokenClaimsError('user client token without a user');
  return 'user';
}

/**
 * The claims policy on top of aws-jwt-verify's checks (signature, iss, exp/nbf when present):
 * an access token (`token_use` "access") of an accepted client, with `exp`, `iat` not in the future,
 * and the identity claims a route relies on. Returns the user the guards attach to the request; throws
 * the TokenRejectedError subclass naming the failed check.
 */
export function toAuthenticatedUser(
  payload: JwtPayload,
  token: string,
  opts: { clientIds: ReadonlySet<string>; machineClientIds?: ReadonlySet<string>; nowSeconds: number },
): AuthenticatedUser {
  if (payload.token_use !== 'access') throw new TokenUseError('token_use is not "access"');
  const kind = principalKind(payload, opts);
  if (!isEpoch(payload.exp)) throw new TokenClaimsError('exp is missing');
  if (payload.exp <= opts.nowSeconds) throw new TokenExpiredError('exp has passed');
  if (!isEpoch(payload.iat)) throw new TokenClaimsError('iat is missing');
  if (payload.iat > opts.nowSeconds + IAT_SKEW_SECONDS)
    throw new TokenNotYetValidError('iat is in the future');
  if (!isString(payload.sub)) throw new TokenClaimsError('sub is missing');
  if (!isString(payload.jti)) throw new TokenClaimsError('jti is missing');
  const groupsClaim = payload['cognito:groups'] ?? [];
  if (!Array.isArray(groupsClaim) || groupsClaim.length > MAX_GROUPS || !groupsClaim.every(isString)) {
    throw new TokenClaimsError('cognito:groups is malformed');
  }
  const scope = payload.scope ?? '';
  if (typeof scope !== 'string') throw new TokenClaimsError('scope is malformed');
  const originJti = payload.origin_jti;
  if (originJti !== undefined && !isString(originJti)) throw new TokenClaimsError('origin_jti is malformed');
  const authTime = payload.auth_time;
  if (kind === 'machine' && groupsClaim.length > 0) throw new TokenClaimsError('machine token with groups');
  // Added by the pool's PreTokenGeneration trigger (functions/, ADR 0122); unknown values are ignored.
  const plan = payload.plan;
  return {
    kind,
    sub: payload.sub,
    username: isString(payload.username) ? payload.username : payload.sub,
    groups: groupsClaim as string[],
    scopes: scope.split(' ').filter(Boolean),
    clientId: String(payload.client_id),
    jti: payload.jti,
    ...(originJti ? { originJti } : {}),
    exp: payload.exp,
    iat: payload.iat,
    ...(isEpoch(authTime) ? { authTime } : {}),
    ...(plan === 'free' || plan === 'pro' ? { plan } : {}),
    ...(isString(payload.device_key) ? { deviceKey: payload.device_key } : {}),
    accessToken: token,
  };
}
