import type {
  ChallengeBody,
  ChangePasswordBody,
  LoginBody,
  RefreshBody,
  RegisterBody,
  RequestOtpBody,
  ResetPasswordBody,
  SignInResponse,
  TokenResponse,
  VerifyOtpBody,
} from '@app/api-contract';
import { normaliseEmail } from '@app/pool-definition/email';
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  ChangePasswordCommand,
  type CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Db } from '../../db/index.ts';
import { badRequest, bearerChallenge, forbidden, serviceUnavailable, unauthorized } from '../../errors.ts';
import { passwordMeetsPolicy, passwordPolicyMessage } from '../password-policy.ts';
import { recordRegistration, upsertSyncedUser } from '../users.ts';
import { type AnswerFloorOptions, defaultFloorOptions, withFloor } from './answer-floor.ts';
import { OTP_ISSUER, respondToChallenge, toChallengeResponse } from './challenge.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';
import {
  authenticationResult,
  type SignInClient,
  type SignInOutcome,
  secretHashField,
  secretHashParam,
  signInWithPassword,
  signInWithSrp,
  startChoiceSignIn,
} from './sign-in.ts';
import { signUpReplacingUnconfirmed, unconfirmedPasswordHolds } from './sign-up.ts';
import { identityFromIdToken, toTokenResponse } from './tokens.ts';

export interface AuthServiceConfig extends SignInClient {
  authFlow: 'srp' | 'password';
}

interface Log {
  warn(obj: object, msg: string): void;
}

/** Fixed answers: the same words whether or not the account exists (ADR 0041). */
export const messages = {
  registered: 'If this address can be registered, a verification code has been sent to it.',
  verified: 'The e-mail address is verified; you can sign in.',
  codeSent: 'If an account uses this address, a code has been sent to it.',
  passwordReset: 'The password has been changed; you can sign in with it.',
  passwordChanged: 'The password has been changed.',
  badCode: 'The code is invalid or has expired.',
  termsRequired: 'Registration needs the terms of service accepted: send "accept_terms": true.',
  resetNeedsPassword: 'A password reset needs the new password: send "new_password" with the code.',
  newPasswordOnlyForReset: '"new_password" goes with "purpose": "password_reset" only.',
  notStored: 'The registration could not be stored, so nothing was kept; retry shortly.',
  badCredentials: 'Incorrect e-mail or password.',
  badRefresh: 'The refresh token is invalid, expired or revoked.',
  badCurrentPassword: 'The current password is incorrect.',
} as const;

/** The shared normaliser (packages/pool-definition), re-exported for the route's rate-limit keys. */
export { normaliseEmail };

export interface AuthServiceOptions {
  /** The answer floor of ADR 0073; tests inject `now`/`sleep` to see it without measuring time. */
  floor?: Partial<AnswerFloorOptions>;
}

/** The backend auth endpoints' logic: Cognito calls, SECRET_HASH, and error mapping. */
/** Wrong, expired or used code, unknown or already-confirmed user: one answer, so codes reveal no account. */
const BAD_CODE_ERRORS = [
  'CodeMismatchException',
  'ExpiredCodeException',
  'UserNotFoundException',
  'NotAuthorizedException',
  'InvalidParameterException',
] as const;

export class AuthService {
  private readonly floor: AnswerFloorOptions;

  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly client: AuthServiceConfig,
    private readonly db: Db,
    private readonly log: Log,
    options: AuthServiceOptions = {},
  ) {
    this.floor = { ...defaultFloorOptions, ...options.floor };
  }

  /**
   * A new account, or a fresh one over an UNCONFIRMED holder of the address (ADR 0072); a confirmed
   * holder gets nothing. Every outcome answers the same words at the same floor (ADR 0041, 0073).
   */
  async register(body: RegisterBody): Promise<string> {
    // Refused before anything is created: no account, no mail, no row (ADR 0107).
    if (body.accept_terms !== true)
      throw badRequest(messages.termsRequired, [{ path: 'body/accept_terms', message: 'must be true' }]);
    this.assertPassword(body.password);
    const email = normaliseEmail(body.email);
    const person = { firstName: body.first_name.trim(), lastName: body.last_name.trim() };
    return withFloor(this.floor, 'always', async () => {
      let outcome: Awaited<ReturnType<typeof signUpReplacingUnconfirmed>>;
      try {
        outcome = await signUpReplacingUnconfirmed(this.cognito, this.client, {
          email,
          password: body.password,
          ...person,
        });
      } catch (err) {
        if (isCognitoError(err, 'InvalidPasswordException')) throw badRequest(passwordPolicyMessage());
        if (isCognitoError(err, 'InvalidParameterException'))
          throw badRequest('The registration data is invalid.');
        throw upstreamProblem(err);
      }
      if (outcome.sub) await this.storeRegistration(outcome.sub, person, outcome.replaced);
      return messages.registered;
    });
  }

  /**
   * The row that records the names and the terms acceptance. If it cannot be written, the account just
   * made (UNCONFIRMED, unusable until its code is entered) is deleted again, so a retry starts clean
   * and no account exists without its acceptance on record.
   */
  private async storeRegistration(
    sub: string,
    person: { firstName: string; lastName: string },
    replaced: string[],
  ): Promise<void> {
    try {
      await recordRegistration(this.db, { sub, ...person }, replaced);
    } catch (err) {
      this.log.warn({ err: { name: (err as Error).name } }, 'could not store a registration; undoing it');
      await this.cognito
        .send(new AdminDeleteUserCommand({ UserPoolId: this.client.userPoolId, Username: sub }))
        .catch((undo: unknown) =>
          this.log.warn({ err: { name: (undo as Error).name } }, 'could not undo an unstored registration'),
        );
      throw serviceUnavailable(messages.notStored, 5);
    }
  }

  /**
   * Confirms a sign-up. With `password` (the SPA and current clients send it), the code only counts
   * for the account that password opens, and a mismatch gets the wrong-code answer (ADR 0072).
   * Without it (seed 003's body) the code alone decides, as before.
   */
  async verifyOtp(body: VerifyOtpBody): Promise<string> {
    if (body.new_password !== undefined)
      throw badRequest(messages.newPasswordOnlyForReset, [
        { path: 'body/new_password', message: 'must be absent' },
      ]);
    const email = normaliseEmail(body.email);
    return withFloor(this.floor, 'failure', () => this.confirm(email, body.code, body.password));
  }

  private async confirm(email: string, code: string, password: string | undefined): Promise<string> {
    try {
      if (
        password !== undefined &&
        !(await unconfirmedPasswordHolds(this.cognito, this.client, email, password, this.log))
      )
        throw badRequest(messages.badCode);
      await this.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: this.client.clientId,
          Username: email,
          ConfirmationCode: code,
          ...secretHashField(this.client, email),
        }),
      );
    } catch (err) {
      // Unknown user, already confirmed, wrong or expired code, password of another account: one answer.
      if (isCognitoError(err, ...BAD_CODE_ERRORS)) throw badRequest(messages.badCode);
      throw upstreamProblem(err);
    }
    return messages.verified;
  }

  async requestOtp(body: RequestOtpBody): Promise<string> {
    return withFloor(this.floor, 'always', () => this.sendCode(body));
  }

  private async sendCode(body: RequestOtpBody): Promise<string> {
    const email = normaliseEmail(body.email);
    const params = {
      ClientId: this.client.clientId,
      Username: email,
      ...secretHashField(this.client, email),
    };
    try {
      if (body.purpose === 'email_verification')
        await this.cognito.send(new ResendConfirmationCodeCommand(params));
      else await this.cognito.send(new ForgotPasswordCommand(params));
    } catch (err) {
      // Unknown user, already confirmed, no verified address, disabled: all answer like success.
      if (
        isCognitoError(err, 'UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException')
      ) {
        return messages.codeSent;
      }
      throw upstreamProblem(err);
    }
    return messages.codeSent;
  }

  /** Seed 003's reset: verify-otp with `purpose: "password_reset"` is reset-password's body (ADR 0107). */
  resetBodyOf(body: VerifyOtpBody): ResetPasswordBody {
    if (body.new_password === undefined)
      throw badRequest(messages.resetNeedsPassword, [{ path: 'body/new_password', message: 'is required' }]);
    return { email: body.email, code: body.code, new_password: body.new_password };
  }

  async resetPassword(body: ResetPasswordBody): Promise<string> {
    this.assertPassword(body.new_password);
    const email = normaliseEmail(body.email);
    try {
      await this.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: this.client.clientId,
          Username: email,
          ConfirmationCode: body.code,
          Password: body.new_password,
          ...secretHashField(this.client, email),
        }),
      );
    } catch (err) {
      if (isCognitoError(err, 'InvalidPasswordException')) throw badRequest(passwordPolicyMessage());
      if (isCognitoError(err, ...BAD_CODE_ERRORS)) throw badRequest(messages.badCode);
      throw upstreamProblem(err);
    }
    return messages.passwordReset;
  }

  /** Every failure (unknown, wrong password, disabled, locked) answers at the floor (ADR 0073). */
  async login(body: LoginBody): Promise<SignInResponse> {
    return withFloor(this.floor, 'failure', () => this.signIn(body));
  }

  /** One step of a sign-in (ADRs 0118, 0141): tokens, or the next step. Failures at the floor too. */
  async challenge(body: ChallengeBody): Promise<SignInResponse> {
    const email = normaliseEmail(body.email);
    return withFloor(this.floor, 'failure', async () => {
      // The password chosen at SELECT_CHALLENGE: the API's own SRP sign-in, as login with a password.
      if (body.challenge_name === 'SELECT_CHALLENGE' && body.answer === 'PASSWORD') {
        if (!body.password) throw badRequest('"answer": "PASSWORD" needs "password".');
        return this.signIn({ email, password: body.password });
      }
      if (body.challenge_name === 'NEW_PASSWORD_REQUIRED' && body.new_password)
        if (!passwordMeetsPolicy(body.new_password)) throw badRequest(passwordPolicyMessage());
      return this.finish(await respondToChallenge(this.cognito, this.client, { ...body, email }), email);
    });
  }

  private async finish(
    out: Parameters<typeof authenticationResult>[0],
    email: string,
  ): Promise<SignInResponse> {
    const outcome = authenticationResult(out);
    if ('challenge' in outcome) {
      try {
        return await toChallengeResponse(this.cognito, outcome.challenge, email, OTP_ISSUER);
      } catch (err) {
        throw upstreamProblem(err);
      }
    }
    const tokens = toTokenResponse(outcome.result);
    await this.rememberIdentity(tokens.id_token);
    return tokens;
  }

  private async signIn(body: LoginBody): Promise<SignInResponse> {
    const email = normaliseEmail(body.email);
    let outcome: SignInOutcome;
    try {
      outcome =
        body.password === undefined
          ? await startChoiceSignIn(this.cognito, this.client, email)
          : this.client.authFlow === 'srp'
            ? await signInWithSrp(this.cognito, this.client, email, body.password)
            : await signInWithPassword(this.cognito, this.client, email, body.password);
    } catch (err) {
      // Wrong password, unknown user, disabled user: one answer (ADR 0041).
      if (isCognitoError(err, 'NotAuthorizedException', 'UserNotFoundException')) {
        throw unauthorized(messages.badCredentials, { challenge: bearerChallenge() });
      }
      // Cognito reports these only after the password was verified, so they reveal nothing new.
      if (isCognitoError(err, 'UserNotConfirmedException')) {
        throw forbidden('The e-mail address is not verified yet; use verify-otp with the code sent to it.');
      }
      if (isCognitoError(err, 'PasswordResetRequiredException')) {
        throw forbidden('A password reset is required; use request-otp with purpose "password_reset".');
      }
      // The app client lacks ALLOW_USER_AUTH: a deployment choice, said as such.
      if (body.password === undefined && isCognitoError(err, 'InvalidParameterException')) {
        throw badRequest('Signing in without a password is not enabled for this API; send "password".');
      }
      throw upstreamProblem(err);
    }
    if ('challenge' in outcome) return this.finish(outcome.challenge, email);
    const tokens = toTokenResponse(outcome.result);
    await this.rememberIdentity(tokens.id_token);
    return tokens;
  }

  /** Known or unknown e-mail: the same calls upstream, and failures at the floor (ADR 0073). */
  async refresh(body: RefreshBody): Promise<TokenResponse> {
    return withFloor(this.floor, 'failure', () => this.refreshTokens(body));
  }

  private async refreshTokens(body: RefreshBody): Promise<TokenResponse> {
    const secretParams = this.client.clientSecret ? await this.refreshSecretHash(body.email) : {};
    try {
      const out = await this.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: this.client.clientId,
          AuthParameters: { REFRESH_TOKEN: body.refresh_token, ...secretParams },
        }),
      );
      return toTokenResponse(out.AuthenticationResult, body.refresh_token);
    } catch (err) {
      if (
        isCognitoError(err, 'NotAuthorizedException', 'UserNotFoundException', 'InvalidParameterException')
      ) {
        throw unauthorized(messages.badRefresh, { challenge: bearerChallenge() });
      }
      throw upstreamProblem(err);
    }
  }

  async changePassword(accessToken: string, body: ChangePasswordBody): Promise<string> {
    this.assertPassword(body.new_password);
    try {
      await this.cognito.send(
        new ChangePasswordCommand({
          AccessToken: accessToken,
          PreviousPassword: body.current_password,
          ProposedPassword: body.new_password,
        }),
      );
    } catch (err) {
      if (isCognitoError(err, 'NotAuthorizedException')) throw badRequest(messages.badCurrentPassword);
      if (isCognitoError(err, 'InvalidPasswordException')) throw badRequest(passwordPolicyMessage());
      throw upstreamProblem(err);
    }
    return messages.passwordChanged;
  }

  private assertPassword(password: string): void {
    if (!passwordMeetsPolicy(password)) throw badRequest(passwordPolicyMessage());
  }

  /**
   * With a client secret, Cognito checks REFRESH_TOKEN_AUTH's SECRET_HASH against the pool's internal
   * username (the sub for e-mail-username pools), not the e-mail, so the pool is asked (AdminGetUser)
   * every time. An unknown address still goes on to InitiateAuth (with a hash over the address, which
   * Cognito refuses like any bad token): known and unknown make the same two calls (ADR 0073). The
   * profile rows are not used: they would make known users one call shorter.
   */
  private async refreshSecretHash(emailInput: string | undefined): Promise<{ SECRET_HASH?: string }> {
    if (!emailInput)
      throw badRequest('This API signs in with a client secret: send "email" with the refresh token.');
    const email = normaliseEmail(emailInput);
    let username = email;
    try {
      const out = await this.cognito.send(
        new AdminGetUserCommand({ UserPoolId: this.client.userPoolId, Username: email }),
      );
      username = out.Username ?? email;
    } catch (err) {
      if (!isCognitoError(err, 'UserNotFoundException', 'NotAuthorizedException')) throw upstreamProblem(err);
    }
    return secretHashParam(this.client, username);
  }

  /** Keeps the profile row in step with the ID token at every login; best effort. */
  private async rememberIdentity(idToken: string): Promise<void> {
    const identity = identityFromIdToken(idToken);
    if (!identity) return;
    await upsertSyncedUser(this.db, identity).catch((err: unknown) => {
      this.log.warn({ err: { name: (err as Error).name } }, 'could not store the profile at login');
    });
  }
}
