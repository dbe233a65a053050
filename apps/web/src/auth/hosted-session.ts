/**
 * Tokens from the hosted page become a session of amazon-cognito-identity-js exactly as an SRP
 * sign-in's do — the same storage keys, refresh and sign-out — plus one marker saying the session
 * came from the managed login, so signing out also ends the managed login's own session (ADR 0140).
 */
import {
  CognitoAccessToken,
  type CognitoUser,
  type CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { adoptTokens } from './adopt-tokens.ts';
import type { HostedTokens } from './hosted.ts';

/** The sign-in a token belongs to: Cognito's origin_jti is shared by every token refreshed from it. */
function originOf(accessToken: string): string {
  const claims = new CognitoAccessToken({ AccessToken: accessToken }).decodePayload();
  return String(claims.origin_jti ?? claims.auth_time ?? '');
}

const prefix = (pool: CognitoUserPool) => `CognitoIdentityServiceProvider.${pool.getClientId()}`;

/**
 * "The sign-in with this origin_jti came from the hosted page", beside the library's keys (same
 * prefix, so "Keep me signed in" moves it with them); a later SRP sign-in has another origin_jti.
 */
const markerKey = (pool: CognitoUserPool) => `${prefix(pool)}.hostedSignIn`;

/** Stores the tokens as the library's session of their user (`cognito:username`) and marks it hosted. */
export function adoptHostedTokens(
  pool: CognitoUserPool,
  storage: ICognitoStorage | undefined,
  tokens: HostedTokens,
): { user: CognitoUser; session: CognitoUserSession } {
  const adopted = adoptTokens(pool, storage, tokens);
  storage?.setItem(markerKey(pool), originOf(tokens.accessToken));
  return adopted;
}

/** Whether `user`'s stored session is the one the hosted page started. */
export function isHostedSession(
  pool: CognitoUserPool,
  storage: ICognitoStorage | undefined,
  user: CognitoUser | null,
): boolean {
  const access = user && storage?.getItem(`${prefix(pool)}.${user.getUsername()}.accessToken`);
  const marker = storage?.getItem(markerKey(pool));
  return Boolean(access && marker && originOf(access) === marker);
}

export function forgetHostedSession(pool: CognitoUserPool, storage: ICognitoStorage | undefined): void {
  storage?.removeItem(markerKey(pool));
}
