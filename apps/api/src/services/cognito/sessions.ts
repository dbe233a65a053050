import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Revocation } from '../../auth/revocation.ts';
import { isCognitoError } from './errors.ts';
import { type IdpMoment, idpMomentOf, recordIdpDates, waitPastIdpSecond } from './idp-clock.ts';
import type { SignInClient } from './sign-in.ts';

/** Who a cut-off is about: the pool's username (admin calls) and the `sub` tokens carry. */
export interface SessionUser {
  username: string;
  sub: string;
}

interface Log {
  warn(obj: object, msg: string): void;
}

/**
 * The one place sessions end (ADR 0070): the IdP stops honouring refresh tokens (global sign-out,
 * RevokeToken) and this API refuses the access tokens already issued, with a per-user cut-off read
 * from the IdP's own clock. Errors from the IdP are thrown as the SDK raised them; callers map them.
 */
export class Sessions {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly client: SignInClient,
    readonly revocation: Revocation,
    private readonly log: Log,
  ) {
    recordIdpDates(cognito);
  }

  /** The pool's username, the sub, the address and whether the account is enabled (AdminGetUser). */
  async lookup(username: string): Promise<SessionUser & { enabled: boolean; email: string | null }> {
    const out = await this.cognito.send(
      new AdminGetUserCommand({ UserPoolId: this.client.userPoolId, Username: username }),
    );
    const name = out.Username ?? username;
    const attribute = (key: string) => out.UserAttributes?.find((a) => a.Name === key)?.Value;
    return {
      username: name,
      sub: attribute('sub') ?? name,
      email: attribute('email') ?? null,
      enabled: out.Enabled ?? true,
    };
  }

  /**
   * Ends every session of the user: AdminUserGlobalSignOut at the IdP, then a cut-off at the second
   * the IdP answered in — every token it issued before the sign-out has `iat` at or before it.
   */
  async endAll(user: SessionUser): Promise<IdpMoment> {
    const out = await this.cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: this.client.userPoolId, Username: user.username }),
    );
    return this.cutOff(user.sub, idpMomentOf(out));
  }

  /**
   * "Sign out everywhere" with the caller's own token (GlobalSignOut). When the IdP refuses that token
   * because its own session is already revoked there (e.g. the client revoked its refresh token), the
   * other sessions are still alive: fall back to the admin sign-out instead of reporting success.
   */
  async endAllWithToken(accessToken: string, user: SessionUser): Promise<IdpMoment> {
    try {
      const out = await this.cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
      return await this.cutOff(user.sub, idpMomentOf(out));
    } catch (err) {
      if (!isCognitoError(err, 'NotAuthorizedException')) throw err;
      return this.endAll(user);
    }
  }

  /** Cut-off at `moment`'s second: every token of `sub` issued at or before it is refused here. */
  async cutOff(sub: string, moment: IdpMoment): Promise<IdpMoment> {
    if (!moment.fromIdp) this.log.warn({}, 'the identity provider sent no Date header; cut-off on our clock');
    await this.revocation.cutOffUser(sub, moment.second);
    return moment;
  }

  /**
   * Resolves once a sign-in at the IdP can no longer land in the cut-off second, so a legitimate
   * sign-in right after our answer is never refused by it (at most about a second).
   */
  async waitPastCutOff(moment: IdpMoment, cutoff = moment.second): Promise<void> {
    await waitPastIdpSecond(cutoff, moment);
  }

  /**
   * Revokes one refresh token at the IdP (RevokeToken). The API holds the secret of its own sign-in
   * client; another accepted client must be a public one for this to work.
   */
  async revokeRefreshToken(refreshToken: string, clientId = this.client.clientId): Promise<void> {
    const secret = clientId === this.client.clientId ? this.client.clientSecret : undefined;
    await this.cognito.send(
      new RevokeTokenCommand({
        Token: refreshToken,
        ClientId: clientId,
        ...(secret ? { ClientSecret: secret } : {}),
      }),
    );
  }
}
