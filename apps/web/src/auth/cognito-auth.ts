import { normaliseEmail } from '@app/pool-definition/email';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import type { AppConfig, SignInOptions } from '../config/config.ts';
import { ChallengeSignIn, TOTP_ISSUER } from './challenge-sign-in.ts';
import { cognitoCall } from './cognito-call.ts';
import { AuthError, forCurrentPassword, toAuthError } from './errors.ts';
import { CognitoFactors, type FactorService } from './factors.ts';
import { HostedSignIn } from './hosted.ts';
import { adoptHostedTokens, forgetHostedSession, isHostedSession } from './hosted-session.ts';
import { type Session, toSession } from './session.ts';
import { TabOrDeviceStorage } from './session-storage.ts';
import type { FirstFactor, SignInChallenge } from './sign-in-challenge.ts';
import { SignUpApi } from './sign-up-api.ts';

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

/** Wraps amazon-cognito-identity-js's callback API in promises and plain-word errors. */
export class CognitoAuthService implements AuthService {
  readonly pool: CognitoUserPool;
  private readonly storage: ICognitoStorage | undefined;
  /** Where tokens go: localStorage or this tab's sessionStorage, by the sign-in's choice. */
  private readonly choice: TabOrDeviceStorage | null;
  private readonly signUpApi: SignUpApi;
  private current: CognitoUser | null = null;
  /** The password of the sign-up made in this tab, in memory only (never in storage or history). */
  private pendingSignUp: { email: string; password: string } | null = null;
  private readonly cognitoEndpoint: string | undefined;
  private readonly hosted: HostedSignIn | null;
  private readonly hostedProviders: readonly string[] | undefined;
  readonly factors: FactorService;
  readonly signInOptions: SignInOptions;
  private readonly challenges: ChallengeSignIn;

  /**
   * `storage` defaults, in a browser, to localStorage or sessionStorage by the user's "Keep me signed
   * in" (ADR 0132); tests pass their own.
   */
  constructor(
    config: Pick<
      AppConfig,
      'userPoolId' | 'clientId' | 'cognitoEndpoint' | 'apiUrl' | 'hostedUi' | 'signInOptions'
    >,
    storage?: ICognitoStorage,
  ) {
    this.signInOptions = config.signInOptions ?? { emailMfa: true, choiceSignIn: true };
    this.choice = storage ? null : TabOrDeviceStorage.inBrowser();
    this.storage = storage ?? this.choice ?? undefined;
    this.cognitoEndpoint = config.cognitoEndpoint;
    this.signUpApi = new SignUpApi(config.apiUrl);
    this.pool = new CognitoUserPool({
      UserPoolId: config.userPoolId,
      ClientId: config.clientId,
      ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
      ...(this.storage ? { Storage: this.storage } : {}),
      // No advanced-security fingerprinting script is loaded; don't try to collect its data.
      AdvancedSecurityDataCollectionFlag: false,
    });
    adjustRequests(this.pool);
    this.hosted =
      config.hostedUi && typeof sessionStorage !== 'undefined'
        ? new HostedSignIn(config.hostedUi, config.clientId, sessionStorage, location.origin)
        : null;
    this.hostedProviders = config.hostedUi?.identityProviders;
    const call = cognitoCall(this.pool);
    this.challenges = new ChallengeSignIn(this.pool, this.storage, call, (user) => {
      this.current = user;
    });
    this.factors = new CognitoFactors(
      call,
      async () => (await sessionOf(await this.signedInUser())).getAccessToken().getJwtToken(),
      async () => toSession(await sessionOf(await this.signedInUser())).user.email,
      TOTP_ISSUER,
    );
  }

  get hostedSignInAvailable(): boolean {
    return this.hosted !== null;
  }

  get identityProviders(): readonly string[] {
    return this.hosted ? (this.hostedProviders ?? []) : [];
  }

  startHostedSignIn(options: {
    keepSignedIn: boolean;
    returnTo: string;
    identityProvider?: string;
  }): Promise<string> {
    if (!this.hosted) throw notConfigured();
    return this.hosted.authorizeUrl(options);
  }

  async completeHostedSignIn(callbackUrl: string): Promise<{ session: Session; returnTo: string }> {
    if (!this.hosted) throw notConfigured();
    const { tokens, keepSignedIn, returnTo } = await this.hosted.complete(callbackUrl);
    this.choice?.choose(keepSignedIn);
    const { user, session } = adoptHostedTokens(this.pool, this.storage, tokens);
    this.current = user;
    return { session: toSession(session), returnTo };
  }

  hostedLogoutUrl(): string | null {
    const user = this.current ?? this.pool.getCurrentUser();
    return this.hosted && isHostedSession(this.pool, this.storage, user) ? this.hosted.logoutUrl() : null;
  }

  signInWithChoice(
    email: string,
    options: { keepSignedIn?: boolean; preferred?: FirstFactor } = {},
  ): Promise<SignInResult> {
    this.choice?.choose(options.keepSignedIn ?? true);
    return this.challenges.withChoice(normaliseEmail(email), options.preferred);
  }

  private user(email: string): CognitoUser {
    // CognitoUser does not inherit the pool's storage: pass it, or tokens land somewhere else.
    return new CognitoUser({
      Username: normaliseEmail(email),
      Pool: this.pool,
      ...(this.storage ? { Storage: this.storage } : {}),
    });
  }

  /**
   * Through the API, not Cognito's SignUp: an unconfirmed holder of the address is replaced there,
   * and the answer is the same whether or not the address already has an account (ADR 0072).
   */
  async signUp(input: SignUpInput): Promise<SignUpResult> {
    const email = normaliseEmail(input.email);
    await this.signUpApi.register({ ...input, email });
    this.pendingSignUp = { email, password: input.password };
    return { confirmed: false, destination: null };
  }

  async confirmSignUp(email: string, code: string, password?: string): Promise<void> {
    const address = normaliseEmail(email);
    const kept = this.pendingSignUp?.email === address ? this.pendingSignUp.password : undefined;
    const secret = password || kept;
    if (!secret) throw new AuthError('PasswordRequired', 'Enter the password you chose when you signed up.');
    await this.signUpApi.confirm(address, code.trim(), secret);
    this.pendingSignUp = null;
  }

  hasSignUpPassword(email: string): boolean {
    return this.pendingSignUp?.email === normaliseEmail(email);
  }

  resendSignUpCode(email: string): Promise<void> {
    return this.signUpApi.resend(normaliseEmail(email));
  }

  keepsSignedIn(): boolean {
    return this.choice?.persistent ?? true;
  }

  signIn(email: string, password: string, options: { keepSignedIn?: boolean } = {}): Promise<SignInResult> {
    this.choice?.choose(options.keepSignedIn ?? true);
    const user = this.user(email);
    const details = new AuthenticationDetails({ Username: normaliseEmail(email), Password: password });
    return new Promise((resolve, reject) => {
      // MFA steps after SRP go to the challenge layer (ADR 0145).
      this.challenges.interceptMfa(user, normaliseEmail(email), (step) => step.then(resolve, reject));
      user.authenticateUser(details, {
        onSuccess: (s) => {
          this.current = user;
          resolve({ kind: 'signedIn', session: toSession(s) });
        },
        onFailure: (err) => reject(toAuthError(err)),
        newPasswordRequired: () =>
          resolve({ kind: 'newPasswordRequired', challenge: this.newPasswordChallenge(user, email) }),
      });
    });
  }

  private newPasswordChallenge(user: CognitoUser, email: string): NewPasswordChallenge {
    return {
      email,
      complete: (newPassword) =>
        new Promise((resolve, reject) => {
          this.challenges.interceptMfa(user, normaliseEmail(email), (step) => step.then(resolve, reject));
          user.completeNewPasswordChallenge(
            newPassword,
            {},
            {
              onSuccess: (s) => {
                this.current = user;
                resolve({ kind: 'signedIn', session: toSession(s) });
              },
              onFailure: (err) => reject(toAuthError(err)),
            },
          );
        }),
    };
  }

  forgotPassword(email: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).forgotPassword({
        onSuccess: () => resolve(),
        onFailure: (err) => reject(toAuthError(err)),
        inputVerificationCode: () => resolve(),
      });
    });
  }

  confirmForgotPassword(email: string, code: string, newPassword: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.user(email).confirmPassword(code.trim(), newPassword, {
        onSuccess: () => resolve(),
        onFailure: (err) => reject(toAuthError(err)),
      });
    });
  }

  devMailboxUrl(email: string): string | null {
    if (!this.cognitoEndpoint) return null;
    const url = new URL('_dev/mailbox', this.cognitoEndpoint);
    if (email) url.searchParams.set('to', normaliseEmail(email));
    return url.href;
  }

  async changePassword(oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.signedInUser();
    return new Promise((resolve, reject) => {
      user.changePassword(oldPassword, newPassword, (err) =>
        err ? reject(forCurrentPassword(toAuthError(err))) : resolve(),
      );
    });
  }

  async changePasswordEverywhere(
    oldPassword: string,
    newPassword: string,
    endEverywhere?: () => Promise<void>,
  ): Promise<{ session: Session; viaApi: boolean }> {
    const email = toSession(await sessionOf(await this.signedInUser())).user.email;
    await this.changePassword(oldPassword, newPassword);
    const viaApi = await succeeds(endEverywhere);
    try {
      // After the API's sign-out this session's tokens are dead too: only the local copy is left.
      if (viaApi) await this.signOut();
      else await this.globalSignOut();
    } catch {
      throw new AuthError(
        'SessionsNotEnded',
        'Your password has been changed, but your other devices could not be signed out. Use "Sign out everywhere".',
      );
    }
    const again = await this.signIn(email, newPassword);
    if (again.kind !== 'signedIn')
      throw new AuthError('SignInAgain', 'Your password has been changed. Sign in again with it.');
    return { session: again.session, viaApi };
  }

  /** The signed-in CognitoUser with a valid session (the library refreshes an expired one). */
  private async signedInUser(): Promise<CognitoUser> {
    const user = this.current ?? this.pool.getCurrentUser();
    if (!user) throw new AuthError('NotSignedIn', 'You are not signed in.');
    await sessionOf(user);
    this.current = user;
    return user;
  }

  async restore(): Promise<Session | null> {
    const user = this.current ?? this.pool.getCurrentUser();
    if (!user) return null;
    try {
      const s = await sessionOf(user);
      this.current = user;
      return toSession(s);
    } catch {
      // A refused refresh token: the library already cleared its cache; start signed out.
      this.current = null;
      return null;
    }
  }

  async refresh(): Promise<Session> {
    const user = this.current ?? this.pool.getCurrentUser();
    if (!user) throw new AuthError('NotSignedIn', 'You are not signed in.');
    const existing = user.getSignInUserSession() ?? (await sessionOf(user).catch(() => null));
    const refreshToken = existing?.getRefreshToken();
    if (!refreshToken?.getToken()) throw new AuthError('NotSignedIn', 'You are not signed in.');
    return new Promise((resolve, reject) => {
      user.refreshSession(refreshToken, (err: unknown, s: CognitoUserSession | null) => {
        if (err || !s) return reject(toAuthError(err));
        this.current = user;
        resolve(toSession(s));
      });
    });
  }

  async attributes(): Promise<Record<string, string>> {
    const user = await this.signedInUser();
    return new Promise((resolve, reject) => {
      user.getUserAttributes((err, attrs) => {
        if (err || !attrs) return reject(toAuthError(err));
        resolve(Object.fromEntries(attrs.map((a) => [a.getName(), a.getValue()])));
      });
    });
  }

  async updateName(name: string): Promise<void> {
    const user = await this.signedInUser();
    await new Promise<void>((resolve, reject) =>
      user.updateAttributes([{ Name: 'name', Value: name }], (err) =>
        err ? reject(toAuthError(err)) : resolve(),
      ),
    );
  }

  async changeEmail(email: string): Promise<{ destination: string | null }> {
    const user = await this.signedInUser();
    return new Promise((resolve, reject) =>
      user.updateAttributes([{ Name: 'email', Value: normaliseEmail(email) }], (err, _result, details) => {
        if (err) return reject(toAuthError(err));
        const list = (details as { CodeDeliveryDetailsList?: Array<{ Destination?: string }> } | undefined)
          ?.CodeDeliveryDetailsList;
        resolve({ destination: list?.[0]?.Destination ?? null });
      }),
    );
  }

  async confirmEmail(code: string): Promise<void> {
    const user = await this.signedInUser();
    await new Promise<void>((resolve, reject) =>
      user.verifyAttribute('email', code.trim(), {
        onSuccess: () => resolve(),
        onFailure: (err) => reject(toAuthError(err)),
      }),
    );
  }

  async resendEmailCode(): Promise<void> {
    const user = await this.signedInUser();
    await new Promise<void>((resolve, reject) =>
      user.getAttributeVerificationCode('email', {
        onSuccess: () => resolve(),
        onFailure: (err) => reject(toAuthError(err)),
        inputVerificationCode: () => resolve(),
      }),
    );
  }

  signOut(): Promise<void> {
    const user = this.current ?? this.pool.getCurrentUser();
    this.current = null;
    forgetHostedSession(this.pool, this.storage);
    if (!user) return Promise.resolve();
    // Revoking the refresh token can fail (offline, already revoked); the local session goes regardless.
    return new Promise((resolve) =>
      user.signOut(() => {
        // The library skips clearing storage when it could not load the session; clear it anyway.
        user.signOut();
        resolve();
      }),
    );
  }

  async globalSignOut(): Promise<void> {
    const user = await this.signedInUser();
    await new Promise<void>((resolve, reject) => {
      user.globalSignOut({ onSuccess: () => resolve(), onFailure: (err) => reject(toAuthError(err)) });
    });
    user.signOut();
    this.current = null;
  }
}

/**
 * One adjustment to the library's requests: it retries a refused refresh with backoff for ~6 s;
 * a refused refresh token never becomes valid, so such errors are marked final and the user is
 * told at once.
 */
const RETRYABLE = new Set(['NetworkError', 'TooManyRequestsException', 'InternalErrorException', 'Unknown']);

function adjustRequests(pool: CognitoUserPool) {
  type Callback = (err: unknown, data?: unknown) => void;
  type Request = (op: string, params: Record<string, unknown>, cb: Callback) => void;
  const client = (pool as unknown as { client: { request: Request } }).client;
  const request = client.request.bind(client);
  client.request = (op, params, cb) => {
    request(op, params, (err, data) => {
      const e = err as { code?: string; nonRetryable?: boolean } | null;
      if (e && typeof e === 'object' && !RETRYABLE.has(e.code ?? 'Unknown')) e.nonRetryable = true;
      cb(err, data);
    });
  };
}

const notConfigured = () =>
  new AuthError('HostedUiNotConfigured', 'Signing in with the hosted page is not set up.');

function sessionOf(user: CognitoUser): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    user.getSession((err: Error | null, s: CognitoUserSession | null) => {
      if (err || !s) return reject(toAuthError(err));
      resolve(s);
    });
  });
}
