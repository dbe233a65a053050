/**
 * The session layer's contract (the pages, the provider and the test fakes use it) and its result
 * types; CognitoAuthService (cognito-auth.ts) is the implementation that talks to Cognito.
 */
import { normaliseEmail } from '@app/pool-definition/email';
import type { SignInOptions } from '../config/config.ts';
import type { FactorService } from './factors.ts';
import type { Session } from './session.ts';
import type { FirstFactor, SignInChallenge } from './sign-in-challenge.ts';

/** The one normaliser of the repo (ADR 0072), re-exported for the pages. */
export { normaliseEmail };

export type SignInResult =
  | { kind: 'signedIn'; session: Session }
  /** An administrator created the account with a temporary password; the user must pick one. */
  | { kind: 'newPasswordRequired'; challenge: NewPasswordChallenge }
  /** A second factor, a choice of factor, or a passkey (ADR 0145). */
  | { kind: 'challenge'; challenge: SignInChallenge };

export interface NewPasswordChallenge {
  readonly email: string;
  /** Tokens, or the MFA step a pool with MFA asks next (MFA_SETUP when MFA is ON). */
  complete(newPassword: string): Promise<SignInResult>;
}

export interface SignUpResult {
  /** False when a code was e-mailed and must be confirmed before signing in. */
  confirmed: boolean;
  /** Where the code went, masked (e.g. "a***@e***"), when known. */
  destination: string | null;
}

/** Whether an optional best-effort step ran and succeeded (its error is the caller's fallback cue). */
export function succeeds(step?: () => Promise<unknown>): Promise<boolean> {
  return step
    ? step().then(
        () => true,
        () => false,
      )
    : Promise.resolve(false);
}

/** The sign-up form: the API's register body (seed 003's, ADR 0107) in the SPA's spelling. */
export interface SignUpInput {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  /** The user ticked "I accept the terms of service"; the API refuses false. */
  acceptTerms: boolean;
}

/** The session layer the app uses; one implementation talks to Cognito (or the local IdP). */
export interface AuthService {
  /** Through the API (ADR 0072); the password is kept in memory for the confirmation that follows. */
  signUp(input: SignUpInput): Promise<SignUpResult>;
  /**
   * Confirms the code together with the account's password: `password`, or the one kept from
   * signUp in this tab for the same address. Throws AuthError('PasswordRequired') with neither.
   */
  confirmSignUp(email: string, code: string, password?: string): Promise<void>;
  /** True when signUp in this tab kept the password for this address (the confirm page needs no field). */
  hasSignUpPassword(email: string): boolean;
  resendSignUpCode(email: string): Promise<void>;
  /**
   * Where mailed codes for `email` can be read when the pool is the local IdP (its dev mailbox, which
   * sends no real e-mail); null against AWS.
   */
  devMailboxUrl(email: string): string | null;
  /** `keepSignedIn` false keeps the tokens in sessionStorage: closing the tab signs out (ADR 0132). */
  signIn(email: string, password: string, options?: { keepSignedIn?: boolean }): Promise<SignInResult>;
  /**
   * Choice-based sign-in (USER_AUTH): without `preferred` Cognito answers with the ways this account
   * can sign in (SELECT_CHALLENGE); with it, that step at once (an e-mailed code, a passkey).
   */
  signInWithChoice(
    email: string,
    options?: { keepSignedIn?: boolean; preferred?: FirstFactor },
  ): Promise<SignInResult>;
  /** The signed-in user's MFA and passkeys (the security page). */
  readonly factors: FactorService;
  /** What the pool offers beyond passwords and the authenticator app (config.json; absent: all). */
  readonly signInOptions: SignInOptions;
  /** Whether the stored session outlives the tab (the last sign-in's "Keep me signed in"). */
  keepsSignedIn(): boolean;
  /** True when config.json names a managed login: the sign-in page offers "Sign in with the hosted page". */
  readonly hostedSignInAvailable: boolean;
  /**
   * Starts "Sign in with the hosted page" (ADR 0140): remembers the request in this tab and returns the
   * managed login's /oauth2/authorize URL (code + PKCE S256, state, nonce) for the page to go to.
   */
  startHostedSignIn(options: {
    keepSignedIn: boolean;
    returnTo: string;
    identityProvider?: string;
  }): Promise<string>;
  /** External providers config.json names ("Sign in with <name>" buttons; ADR 0162). */
  readonly identityProviders?: readonly string[];
  /**
   * The callback: exchanges the code for tokens and keeps them exactly like an SRP sign-in's (same
   * storage, same "Keep me signed in", same refresh and sign-out). Throws AuthError in plain words.
   */
  completeHostedSignIn(callbackUrl: string): Promise<{ session: Session; returnTo: string }>;
  /** The managed login's /logout URL when the stored session came from it (call before signOut). */
  hostedLogoutUrl(): string | null;
  forgotPassword(email: string): Promise<void>;
  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void>;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  /**
   * Changes the password, ends every session of the user (this one too) and signs in again with the
   * new password (ADR 0070). `endEverywhere` is the API's "sign out everywhere" (POST /auth/sign-out-everywhere),
   * which also makes the API refuse the access tokens already issued; without it, or when it fails,
   * Cognito's GlobalSignOut is called (`viaApi` false: other devices' access tokens may still work at
   * the API until they expire).
   */
  changePasswordEverywhere(
    oldPassword: string,
    newPassword: string,
    endEverywhere?: () => Promise<void>,
  ): Promise<{ session: Session; viaApi: boolean }>;
  /** The stored session, refreshed if it has expired; null when there is none or it cannot be renewed. */
  restore(): Promise<Session | null>;
  /** New tokens from the refresh token. Throws AuthError when the refresh token is refused. */
  refresh(): Promise<Session>;
  /** The user's attributes as Cognito holds them (GetUser). */
  attributes(): Promise<Record<string, string>>;
  /** UpdateUserAttributes for the display name. */
  updateName(name: string): Promise<void>;
  /**
   * Asks for a new e-mail address: Cognito mails a code to it and, with
   * AttributesRequireVerificationBeforeUpdate, keeps the old address until the code is given
   * (ADR 0078). Resolves with the masked destination when Cognito names it.
   */
  changeEmail(email: string): Promise<{ destination: string | null }>;
  /** VerifyUserAttribute('email'): the new address replaces the old one (and is verified). */
  confirmEmail(code: string): Promise<void>;
  /** GetUserAttributeVerificationCode('email'): a new code for the pending (or current) address. */
  resendEmailCode(): Promise<void>;
  /** Revokes this device's refresh token and forgets the session. Never throws. */
  signOut(): Promise<void>;
  /** Revokes every token of the user on every device (GlobalSignOut), then forgets the session. */
  globalSignOut(): Promise<void>;
}
