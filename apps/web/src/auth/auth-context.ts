import { createContext, useContext } from 'react';
import type { AuthService, NewPasswordChallenge, SignInResult } from './cognito-auth.ts';
import type { Session } from './session.ts';
import type { FirstFactor, SignInChallenge } from './sign-in-challenge.ts';

export type AuthStatus = 'loading' | 'signedOut' | 'signedIn';

/** Where a sign-in stands: done, or the next step the page must show. */
export type SignInOutcome =
  | { kind: 'signedIn' }
  | { kind: 'newPasswordRequired'; challenge: NewPasswordChallenge }
  | { kind: 'challenge'; challenge: SignInChallenge };

export interface AuthContextValue {
  status: AuthStatus;
  session: Session | null;
  /** Why the user was signed out without asking (e.g. the session could not be renewed). */
  notice: string | null;
  /** The Cognito calls that do not change who is signed in (sign-up, codes, reset). */
  service: AuthService;
  signIn(email: string, password: string, options?: { keepSignedIn?: boolean }): Promise<SignInOutcome>;
  /** Choice-based sign-in (USER_AUTH): the ways this account signs in, or `preferred` at once. */
  signInWithChoice(
    email: string,
    options?: { keepSignedIn?: boolean; preferred?: FirstFactor },
  ): Promise<SignInOutcome>;
  /** A step's answer (`challenge.answerCode(…)` and the like): signs in when it yields tokens. */
  continueSignIn(step: Promise<SignInResult>): Promise<SignInOutcome>;
  /** The new password; signed in, or the MFA step that follows. */
  completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<SignInOutcome>;
  /**
   * The hosted page's callback (ADR 0140): exchanges the code, keeps the session as a sign-in does and
   * resolves with the in-app path to return to. Throws AuthError (state mismatch, refused, expired code).
   */
  completeHostedSignIn(callbackUrl: string): Promise<string>;
  /** New tokens now; concurrent callers share one request. Signs out (with a notice) when refused. */
  refresh(): Promise<Session | null>;
  /** The current access token, renewed first if it has expired; null when signed out. */
  accessToken(): Promise<string | null>;
  /**
   * Signs out on this device. `revokeInApi` (POST /api/v1/auth/sign-out with the current access
   * token) is tried first so the API refuses this session's tokens at once (ADR 0049); it is given
   * at most REVOKE_TIMEOUT_MS and its failure is ignored. Then the refresh token is revoked at
   * Cognito and the local session dropped, whatever happened before. A session from the hosted page
   * then goes through the managed login's /logout, which ends its own session and comes back.
   */
  signOut(revokeInApi?: (accessToken: string, signal: AbortSignal) => Promise<unknown>): Promise<void>;
  /**
   * Signs out on every device. `viaApi` (POST /api/v1/auth/sign-out-everywhere) is tried first so the API also
   * refuses the tokens already issued; if it fails, Cognito's GlobalSignOut is called directly.
   */
  globalSignOut(viaApi?: () => Promise<void>): Promise<void>;
  /**
   * Changes the password and ends every session (ADR 0070): `viaApi` (POST /api/v1/auth/sign-out-everywhere) so
   * the API refuses the old tokens at once, else Cognito's GlobalSignOut; then signs in again with
   * the new password. `everywhere` is false when only Cognito could be told.
   */
  changePassword(
    current: string,
    next: string,
    viaApi?: () => Promise<void>,
  ): Promise<{ everywhere: boolean }>;
  /** Ends the session locally and shows `reason` on the sign-in page. */
  endSession(reason: string): Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() needs an <AuthProvider> above it');
  return value;
}
