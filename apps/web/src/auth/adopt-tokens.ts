import {
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUser,
  type CognitoUserPool,
  CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import { AuthError } from './errors.ts';

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * Tokens that did not come from the library's own authenticateUser (the hosted page, an MFA or
 * passkey step) become its session of their user (`cognito:username`): the same storage keys, so
 * restore, refresh and sign-out work as after SRP.
 */
export function adoptTokens(
  pool: CognitoUserPool,
  storage: ICognitoStorage | undefined,
  tokens: Tokens,
): { user: CognitoUser; session: CognitoUserSession } {
  const idToken = new CognitoIdToken({ IdToken: tokens.idToken });
  const username = idToken.decodePayload()['cognito:username'];
  if (typeof username !== 'string') throw new AuthError('Unknown', 'Something went wrong. Please try again.');
  const session = new CognitoUserSession({
    IdToken: idToken,
    AccessToken: new CognitoAccessToken({ AccessToken: tokens.accessToken }),
    RefreshToken: new CognitoRefreshToken({ RefreshToken: tokens.refreshToken }),
  });
  // CognitoUser does not inherit the pool's storage: pass it, or tokens land somewhere else.
  const user = new CognitoUser({ Username: username, Pool: pool, ...(storage ? { Storage: storage } : {}) });
  user.setSignInUserSession(session); // writes the same keys as authenticateUser's success
  return { user, session };
}
