import { createContext, useContext } from 'react';
import type { AuthService, NewPasswordChallenge } from './cognito-auth.ts';
import type { Session } from './session.ts';

export type AuthStatus = 'loading' | 'signedOut' | 'signedIn';

export interface AuthContextValue {
  status: AuthStatus;
  session: Session | null;
  /** Why the user was signed out without asking (e.g. the session could not be renewed). */
  notice: string | null;
  /** The Cognito calls that do not change who is signed in (sign-up, codes, reset). */
  service: AuthService;
  signIn(
    email: string,
    password: string,
  ): Promise<{ kind: 'signedIn' } | { kind: 'newPasswordRequired'; challenge: NewPasswordChallenge }>;
  completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<void>;
  /** New tokens now; concurrent callers share one request. Signs out (with a notice) when refused. */
  refresh(): Promise<Session | null>;
  /** The current access token, renewed first if it has expired; null when signed out. */
  accessToken(): Promise<string | null>;
  signOut(): Promise<void>;
  /**
   * Signs out on every device. `viaApi` (POST /api/v1/auth/logout) is tried first so the API also
   * refuses the tokens already issued; if it fails, Cognito's GlobalSignOut is called directly.
   */
  globalSignOut(viaApi?: () => Promise<void>): Promise<void>;
  /** Ends the session locally and shows `reason` on the sign-in page. */
  endSession(reason: string): Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() needs an <AuthProvider> above it');
  return value;
}
