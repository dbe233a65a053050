import type {
  AuthService,
  NewPasswordChallenge,
  SignInResult,
  SignUpInput,
  SignUpResult,
} from '../src/auth/cognito-auth.ts';
import { normaliseEmail as norm, succeeds } from '../src/auth/cognito-auth.ts';
import { AuthError, forCurrentPassword, toAuthError } from '../src/auth/errors.ts';
import type { Session } from '../src/auth/session.ts';
import type { FirstFactor } from '../src/auth/sign-in-challenge.ts';
import { FakeFactors, fakeCodeChallenge } from './fake-factors.ts';

interface FakeUser {
  email: string;
  password: string;
  name: string;
  confirmed: boolean;
  groups: string[];
  mustChangePassword?: boolean;
  /** The second factor asked after the password (the fake's code is FAKE_CODE). */
  mfa?: 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP';
}

/**
 * An in-memory AuthService for page tests: it keeps real state (users, codes, the session) and
 * answers with the same AuthErrors as the Cognito layer, so pages are tested on behaviour.
 * The Cognito layer itself is tested against the real IdP in test/cognito-auth.idp.test.ts.
 */
export class FakeAuthService implements AuthService {
  users = new Map<string, FakeUser>();
  codes = new Map<string, string>();
  session: Session | null = null;
  refreshFails = false;
  refreshCount = 0;
  tokenLifetimeMs = 3_600_000;
  readonly factors = new FakeFactors();
  private seq = 0;

  addUser(u: Partial<FakeUser> & { email: string; password: string }) {
    this.users.set(u.email, { name: '', confirmed: true, groups: [], ...u });
  }

  /** The device key new sessions carry (a pool that tracks devices); none by default. */
  deviceKey: string | undefined;

  private newSession(u: FakeUser): Session {
    const now = Date.now();
    this.seq++;
    return {
      user: {
        sub: `sub-${u.email}`,
        username: `sub-${u.email}`,
        email: u.email,
        name: u.name || null,
        groups: u.groups,
      },
      accessToken: `access-${this.seq}`,
      idToken: `id-${this.seq}`,
      issuedAt: now,
      expiresAt: now + this.tokenLifetimeMs,
      ...(this.deviceKey ? { deviceKey: this.deviceKey } : {}),
    };
  }

  /** Like the API's register: the same answer for an existing address, which is left alone. */
  async signUp({ email, password, firstName, lastName, acceptTerms }: SignUpInput): Promise<SignUpResult> {
    // Like the API: refused before anything is created (ADR 0107).
    if (!acceptTerms) throw new AuthError('BadRequest', 'Registration needs the terms of service accepted.');
    const name = `${firstName} ${lastName}`;
    email = norm(email);
    const existing = this.users.get(email);
    if (!existing?.confirmed) {
      // An unconfirmed holder is replaced (ADR 0072).
      this.users.set(email, { email, password, name, confirmed: false, groups: [] });
      this.codes.set(email, '123456');
    }
    this.pending = { email, password };
    return { confirmed: false, destination: null };
  }
  pending: { email: string; password: string } | null = null;
  async confirmSignUp(email: string, code: string, password?: string) {
    email = norm(email);
    const secret = password || (this.pending?.email === email ? this.pending.password : undefined);
    if (!secret) throw new AuthError('PasswordRequired', 'Enter the password you chose when you signed up.');
    const u = this.users.get(email);
    if (this.codes.get(email) !== code || !u || u.confirmed || u.password !== secret)
      throw new AuthError('BadRequest', 'The code is invalid or has expired.');
    u.confirmed = true;
    this.pending = null;
  }
  /** Set to play the local IdP, whose dev mailbox holds the codes. */
  mailbox: string | null = null;
  devMailboxUrl(email: string) {
    return this.mailbox && `${this.mailbox}?to=${encodeURIComponent(norm(email))}`;
  }
  hasSignUpPassword(email: string) {
    return this.pending?.email === norm(email);
  }
  async resendSignUpCode(email: string) {
    email = norm(email);
    this.codes.set(email, '654321');
  }
  /** E-mail addresses Cognito currently refuses with "Password attempts exceeded". */
  readonly lockedOut = new Set<string>();
  keepSignedIn = true;
  keepsSignedIn() {
    return this.keepSignedIn;
  }
  /** The hosted page is a real browser round trip: tested in e2e/tests/hosted-sign-in.test.ts. */
  readonly hostedSignInAvailable = false;
  /** What the pool offers; a test turns these off to play the shared definition. */
  signInOptions = { emailMfa: true, choiceSignIn: true };
  async startHostedSignIn(): Promise<string> {
    throw new AuthError('HostedUiNotConfigured', 'Signing in with the hosted page is not set up.');
  }
  async completeHostedSignIn(): Promise<{ session: Session; returnTo: string }> {
    throw new AuthError('HostedUiNotConfigured', 'Signing in with the hosted page is not set up.');
  }
  hostedLogoutUrl() {
    return null;
  }
  async signIn(
    email: string,
    password: string,
    options: { keepSignedIn?: boolean } = {},
  ): Promise<SignInResult> {
    email = norm(email);
    this.keepSignedIn = options.keepSignedIn ?? true;
    if (this.lockedOut.has(email))
      throw toAuthError({ code: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    const u = this.users.get(email);
    if (!u || u.password !== password)
      throw new AuthError('NotAuthorizedException', 'The e-mail address or password is not right.');
    if (!u.confirmed)
      throw new AuthError(
        'UserNotConfirmedException',
        'Please confirm your e-mail address first. We can send you a new code.',
      );
    if (u.mustChangePassword) {
      const challenge: NewPasswordChallenge = {
        email,
        complete: async (newPassword) => {
          u.password = newPassword;
          u.mustChangePassword = false;
          this.session = this.newSession(u);
          return { kind: 'signedIn', session: this.session };
        },
      };
      return { kind: 'newPasswordRequired', challenge };
    }
    const done = (): SignInResult => {
      this.session = this.newSession(u);
      return { kind: 'signedIn', session: this.session };
    };
    if (u.mfa) return { kind: 'challenge', challenge: fakeCodeChallenge(email, u.mfa, done) };
    return done();
  }
  /** USER_AUTH: an e-mailed code for a known, confirmed user (FAKE_CODE); no passkeys in the fake. */
  async signInWithChoice(email: string, options: { preferred?: FirstFactor } = {}): Promise<SignInResult> {
    email = norm(email);
    const u = this.users.get(email);
    if (options.preferred && options.preferred !== 'EMAIL_OTP')
      throw new AuthError('NotSupported', 'The fake offers e-mail codes only.');
    return {
      kind: 'challenge',
      challenge: fakeCodeChallenge(email, 'EMAIL_OTP', () => {
        if (!u?.confirmed) throw new AuthError('CodeMismatchException', 'That code is not right.');
        this.session = this.newSession(u);
        return { kind: 'signedIn', session: this.session };
      }),
    };
  }
  async forgotPassword(email: string) {
    email = norm(email);
    this.codes.set(email, '111111');
  }
  async confirmForgotPassword(email: string, code: string, newPassword: string) {
    email = norm(email);
    if (this.codes.get(email) !== code)
      throw new AuthError('CodeMismatchException', 'That code is not right. Check the e-mail and try again.');
    const u = this.users.get(email);
    if (u) u.password = newPassword;
  }
  async changePassword(oldPassword: string, newPassword: string) {
    const u = this.current();
    if (u.password !== oldPassword)
      throw forCurrentPassword(
        toAuthError({ code: 'NotAuthorizedException', message: 'Incorrect username or password.' }),
      );
    u.password = newPassword;
  }
  /** Sessions ended by the last changePasswordEverywhere, and how. */
  endedEverywhere: Array<'api' | 'cognito'> = [];
  async changePasswordEverywhere(
    oldPassword: string,
    newPassword: string,
    endEverywhere?: () => Promise<void>,
  ) {
    const u = this.current();
    await this.changePassword(oldPassword, newPassword);
    const viaApi = await succeeds(endEverywhere);
    this.endedEverywhere.push(viaApi ? 'api' : 'cognito');
    this.session = this.newSession(u);
    return { session: this.session, viaApi };
  }
  private current(): FakeUser {
    if (!this.session) throw new AuthError('NotSignedIn', 'You are not signed in.');
    return this.users.get(this.session.user.email)!;
  }
  async restore() {
    return this.session;
  }
  async refresh() {
    this.refreshCount++;
    if (this.refreshFails || !this.session) {
      this.session = null;
      throw new AuthError('NotAuthorizedException', 'Your session has ended. Please sign in again.');
    }
    this.session = this.newSession(this.current());
    return this.session;
  }
  async attributes() {
    const u = this.current();
    return { sub: `sub-${u.email}`, email: u.email, email_verified: 'true', name: u.name };
  }
  async updateName(name: string) {
    this.current().name = name;
  }
  /** The address waiting for its code (the old one stays until then, as with ADR 0078). */
  pendingEmail: string | null = null;
  async changeEmail(email: string) {
    this.current();
    email = norm(email);
    if (this.users.has(email))
      throw toAuthError({
        code: 'AliasExistsException',
        message: 'An account with the given email already exists.',
      });
    this.pendingEmail = email;
    this.codes.set(email, '222222');
    return { destination: `${email[0]}***@${email.split('@')[1]![0]}***` };
  }
  async confirmEmail(code: string) {
    const u = this.current();
    if (!this.pendingEmail || this.codes.get(this.pendingEmail) !== code)
      throw new AuthError('CodeMismatchException', 'That code is not right. Check the e-mail and try again.');
    this.users.delete(u.email);
    u.email = this.pendingEmail;
    this.users.set(u.email, u);
    this.pendingEmail = null;
    this.session = this.newSession(u);
  }
  async resendEmailCode() {
    this.current();
  }
  async signOut() {
    this.session = null;
  }
  async globalSignOut() {
    this.current();
    this.session = null;
  }
}
