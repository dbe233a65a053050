import type { CognitoUserSession } from 'amazon-cognito-identity-js';

/** Who is signed in, from the ID token's claims. */
export interface AuthUser {
  sub: string;
  /** Cognito's username (a UUID in pools with e-mail usernames). */
  username: string;
  email: string;
  name: string | null;
  groups: string[];
}

/** What the app needs from a Cognito session; the refresh token stays inside the library. */
export interface Session {
  user: AuthUser;
  accessToken: string;
  idToken: string;
  /** When the access token expires, in this browser's clock (ms since epoch), drift included. */
  expiresAt: number;
  /** When the tokens were issued, in this browser's clock (ms since epoch). */
  issuedAt: number;
  /** When the user signed in with a password (the tokens' auth_time, IdP clock, ms); refreshes keep it. */
  signedInAt?: number;
  /** The device this sign-in registered (the access token's `device_key`); absent when the pool does not track devices. */
  deviceKey?: string;
}

function stringClaim(payload: Record<string, unknown>, key: string): string | null {
  const v = payload[key];
  return typeof v === 'string' ? v : null;
}

/** Reads a library session into ours. The library measured the clock drift when it got the tokens. */
export function toSession(s: CognitoUserSession): Session {
  const id = s.getIdToken();
  const access = s.getAccessToken();
  const claims = id.decodePayload() as Record<string, unknown>;
  const groups = claims['cognito:groups'];
  // getClockDrift() exists on the class but is missing from the library's type declarations.
  const drift = (s as unknown as { getClockDrift(): number }).getClockDrift();
  const driftMs = (Number.isFinite(drift) ? drift : 0) * 1000;
  const deviceKey = stringClaim(access.decodePayload() as Record<string, unknown>, 'device_key');
  const exp = Math.min(access.getExpiration(), id.getExpiration());
  return {
    user: {
      sub: stringClaim(claims, 'sub') ?? '',
      username: stringClaim(claims, 'cognito:username') ?? stringClaim(claims, 'sub') ?? '',
      email: stringClaim(claims, 'email') ?? '',
      name: stringClaim(claims, 'name'),
      groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    },
    accessToken: access.getJwtToken(),
    idToken: id.getJwtToken(),
    expiresAt: exp * 1000 + driftMs,
    issuedAt: Math.min(access.getIssuedAt(), id.getIssuedAt()) * 1000 + driftMs,
    ...(typeof claims.auth_time === 'number' ? { signedInAt: claims.auth_time * 1000 } : {}),
    ...(deviceKey ? { deviceKey } : {}),
  };
}

/**
 * When to refresh: ahead of expiry by a quarter of the token's lifetime, at most a minute, so a
 * 60-minute token refreshes at 59 minutes and a 20-second test token at 15 seconds.
 */
export function refreshDelay(session: Pick<Session, 'expiresAt' | 'issuedAt'>, now = Date.now()): number {
  const lifetime = Math.max(0, session.expiresAt - session.issuedAt);
  const lead = Math.min(60_000, lifetime / 4);
  return Math.max(0, session.expiresAt - lead - now);
}
