/**
 * Where the challenge layer meets the session layer (ADR 0145): choice-based sign-in (USER_AUTH),
 * the MFA steps after the library's SRP, and storing the tokens a step yields.
 */
import type { CognitoUser, CognitoUserPool, ICognitoStorage } from 'amazon-cognito-identity-js';
import { adoptTokens } from './adopt-tokens.ts';
import type { SignInResult } from './cognito-auth.ts';
import type { CognitoCall } from './cognito-call.ts';
import { AuthError } from './errors.ts';
import { toSession } from './session.ts';
import {
  type ChallengeAnswer,
  type ChallengeContext,
  CognitoChallenge,
  type FirstFactor,
} from './sign-in-challenge.ts';

/** The name authenticator apps show above this app's codes. */
export const TOTP_ISSUER = 'Cognito Stack';

/** The challenges after a right password that the challenge layer answers. */
const MFA_CHALLENGES = new Set([
  'SOFTWARE_TOKEN_MFA',
  'EMAIL_OTP',
  'SMS_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
]);

export class ChallengeSignIn {
  private readonly context: ChallengeContext;

  constructor(
    private readonly pool: CognitoUserPool,
    storage: ICognitoStorage | undefined,
    private readonly call: CognitoCall,
    /** The user now signed in (the session layer's "current"). */
    onSignedIn: (user: CognitoUser) => void,
  ) {
    this.context = {
      call,
      clientId: pool.getClientId(),
      issuer: TOTP_ISSUER,
      finish: (result) => {
        const { user, session } = adoptTokens(pool, storage, {
          idToken: result.IdToken,
          accessToken: result.AccessToken,
          refreshToken: result.RefreshToken ?? '',
        });
        onSignedIn(user);
        return toSession(session);
      },
    };
  }

  /** USER_AUTH: SELECT_CHALLENGE without `preferred`, that step at once with it. */
  async withChoice(email: string, preferred?: FirstFactor): Promise<SignInResult> {
    const answer = await this.call<ChallengeAnswer>('InitiateAuth', {
      AuthFlow: 'USER_AUTH',
      ClientId: this.pool.getClientId(),
      AuthParameters: { USERNAME: email, ...(preferred ? { PREFERRED_CHALLENGE: preferred } : {}) },
    }).catch((err: unknown) => {
      // A client without ALLOW_USER_AUTH: only the password form works here.
      if (err instanceof AuthError && err.code === 'InvalidParameterException')
        throw new AuthError(err.code, 'Only password sign-in is available for this app.');
      throw err;
    });
    return CognitoChallenge.outcome(this.context, email, answer);
  }

  /**
   * The library answers SMS and TOTP challenges with callbacks but breaks on EMAIL_OTP (it expects
   * tokens): on this one user, every MFA step after SRP comes here instead and settles the sign-in.
   */
  interceptMfa(user: CognitoUser, email: string, settle: (result: Promise<SignInResult>) => void): void {
    type Internal = { authenticateUserInternal: (data: ChallengeAnswer, ...rest: unknown[]) => void };
    const internal = user as unknown as Internal;
    const original = internal.authenticateUserInternal.bind(user);
    internal.authenticateUserInternal = (data, ...rest) => {
      if (!MFA_CHALLENGES.has(data.ChallengeName ?? '')) return original(data, ...rest);
      settle(Promise.resolve().then(() => CognitoChallenge.outcome(this.context, email, data)));
    };
  }
}
