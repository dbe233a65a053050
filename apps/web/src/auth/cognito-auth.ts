import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import type { AppConfig, SignInOptions } from '../config/config.ts';
import {
  type AuthService,
  type NewPasswordChallenge,
  normaliseEmail,
  type SignInResult,
  type SignUpInput,
  type SignUpResult,
  succeeds,
} from './auth-service.ts';
import { ChallengeSignIn, TOTP_ISSUER } from './challenge-sign-in.ts';
import { cognitoCall } from './cognito-call.ts';
import { adjustRequests, sessionOf } from './cognito-requests.ts';
import { AuthError, forCurrentPassword, toAuthError } from './errors.ts';
import { CognitoFactors, type FactorService } from './factors.ts';
import { HostedSignIn } from './hosted.ts';
import { adoptHostedTokens, forgetHostedSession, isHostedSession } from './hosted-session.ts';
import { type Session, toSession } from './session.ts';
import { TabOrDeviceStorage } from './session-storage.ts';
import type { FirstFactor } from './sign-in-challenge.ts';
import { SignUpApi } from './sign-up-api.ts';

// The contract moved to auth-service.ts; these keep the pages' and tests' imports working.
export type {
  AuthService,
  NewPasswordChallenge,
  SignInResult,
  SignUpInput,
  SignUpResult,
} from './auth-service.ts';
export { normaliseEmail, succeeds } from './auth-service.ts';

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

const notConfigured = () =>
  new AuthError('HostedUiNotConfigured', 'Signing in with the hosted page is not set up.');
