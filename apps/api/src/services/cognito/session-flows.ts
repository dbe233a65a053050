import type { ChangePasswordResponse, TokenResponse } from '@app/api-contract';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { RevocationUnavailableError } from '../../auth/revocation.ts';
import type { AuthenticatedUser } from '../../auth/user.ts';
import { badRequest, bearerChallenge, HttpProblem, serviceUnavailable, unauthorized } from '../../errors.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';
import type { Sessions, SessionUser } from './sessions.ts';
import { type SignInClient, signInWithPassword, signInWithSrp, tokensOnly } from './sign-in.ts';
import { accessClaimsOf, toTokenResponse } from './tokens.ts';

interface Log {
  warn(obj: object, msg: string): void;
}

export const sessionMessages = {
  passwordChanged: 'The password has been changed; every other session has ended.',
  passwordChangedSignIn: 'The password has been changed and every session has ended; sign in again.',
  badRefresh: 'The refresh token is invalid, expired or revoked.',
  idpDown: 'Signed out of this API, but the identity provider could not be reached to revoke refresh tokens.',
  notEnded:
    'The password has been changed, but the identity provider could not end the other sessions; ' +
    'sign in and use "sign out everywhere".',
  refreshNotRevoked:
    'Signed out of this API, but the identity provider refused to revoke this refresh token: ' +
    'send the refresh token issued together with this access token.',
} as const;

const nowSecond = () => Math.floor(Date.now() / 1000);

/**
 * What the auth endpoints do when a session ends (ADR 0070): sign out this session or everywhere,
 * end the other sessions after a password change or reset, and refuse refreshes of revoked sessions.
 */
export class SessionFlows {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly client: SignInClient & { authFlow: 'srp' | 'password' },
    private readonly sessions: Sessions,
    private readonly log: Log,
  ) {}

  private get revocation() {
    return this.sessions.revocation;
  }

  /** "Sign out everywhere": this API refuses every token of the user, the IdP every refresh token. */
  async signOutEverywhere(user: AuthenticatedUser): Promise<void> {
    await this.revocation.revokeToken(user);
    let moment: Awaited<ReturnType<Sessions['endAllWithToken']>>;
    try {
      moment = await this.sessions.endAllWithToken(user.accessToken, user);
    } catch (err) {
      if (err instanceof HttpProblem || err instanceof RevocationUnavailableError) throw err;
      // The IdP did not sign the user out: at least refuse their issued tokens here, on our clock.
      await this.revocation.cutOffUser(user.sub, nowSecond());
      this.log.warn(
        { err: { name: (err as Error).name } },
        'global sign-out at the identity provider failed',
      );
      throw serviceUnavailable(sessionMessages.idpDown);
    }
    // A sign-in right after our answer must not land in the cut-off second.
    await this.sessions.waitPastCutOff(moment);
  }

  /** "Sign out this session": its tokens here, and its refresh token at the IdP when the client sends it. */
  async signOut(user: AuthenticatedUser, refreshToken: string | undefined): Promise<void> {
    await this.revocation.revokeToken(user);
    if (!refreshToken) return;
    try {
      await this.sessions.revokeRefreshToken(refreshToken, user.clientId);
    } catch (err) {
      if (
        isCognitoError(
          err,
          'UnauthorizedException',
          'NotAuthorizedException',
          'UnsupportedOperationException',
          'UnsupportedTokenTypeException',
          'InvalidParameterException',
        )
      ) {
        throw badRequest(sessionMessages.refreshNotRevoked);
      }
      const problem = upstreamProblem(err);
      throw problem.status === 503 ? serviceUnavailable(sessionMessages.idpDown, 5) : problem;
    }
  }

  /**
   * A refresh minted tokens for a session this API has revoked (its `origin_jti`, or the user's
   * cut-off): revoke that refresh token at the IdP too and refuse — whether or not the client ever
   * handed it over at sign-out.
   */
  async refuseRevoked(tokens: TokenResponse, refreshToken: string): Promise<void> {
    const claims = accessClaimsOf(tokens.access_token);
    if (claims && !(await this.revocation.isRevoked(claims))) return;
    await this.sessions.revokeRefreshToken(refreshToken).catch((err: unknown) => {
      this.log.warn({ err: { name: (err as Error).name } }, 'could not revoke a revoked session at the IdP');
    });
    throw unauthorized(sessionMessages.badRefresh, { challenge: bearerChallenge() });
  }

  /** After ChangePassword: end every session (the caller's too), then sign in afresh with the new password. */
  async afterPasswordChange(user: AuthenticatedUser, newPassword: string): Promise<ChangePasswordResponse> {
    await this.endAllAfterPasswordChange(async () => user);
    try {
      const result =
        this.client.authFlow === 'srp'
          ? await signInWithSrp(this.cognito, this.client, user.username, newPassword)
          : await signInWithPassword(this.cognito, this.client, user.username, newPassword);
      return { message: sessionMessages.passwordChanged, tokens: toTokenResponse(tokensOnly(result)) };
    } catch (err) {
      this.log.warn({ err: { name: (err as Error).name } }, 'fresh sign-in after a password change failed');
      return { message: sessionMessages.passwordChangedSignIn };
    }
  }

  /** After a reset with a code: end every session of the account, then answer. */
  async afterPasswordReset(email: string): Promise<void> {
    await this.endAllAfterPasswordChange(() => this.sessions.lookup(email));
  }

  private async endAllAfterPasswordChange(who: () => Promise<SessionUser>): Promise<void> {
    let moment: Awaited<ReturnType<Sessions['endAll']>>;
    let user: SessionUser | undefined;
    try {
      user = await who();
      moment = await this.sessions.endAll(user);
    } catch (err) {
      if (err instanceof HttpProblem || err instanceof RevocationUnavailableError) throw err;
      if (user) await this.revocation.cutOffUser(user.sub, nowSecond());
      this.log.warn({ err: { name: (err as Error).name } }, 'ending sessions after a password change failed');
      throw serviceUnavailable(sessionMessages.notEnded, 5);
    }
    await this.sessions.waitPastCutOff(moment);
  }
}
