import type { MfaStatus, MfaType, TotpSetup } from '@app/api-contract';
import {
  AssociateSoftwareTokenCommand,
  type CognitoIdentityProviderClient,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { badRequest, conflict } from '../../errors.ts';
import { otpauthUri } from './challenge.ts';
import { badGateway, isCognitoError, upstreamProblem } from './errors.ts';

/**
 * The signed-in user's authenticator app (issue 11, ADR 0118), with their own access token against the
 * IdP, as Amplify's setUpTOTP / verifyTOTPSetup / updateMFAPreference do.
 */
export class MfaService {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly issuer: string,
  ) {}

  /** A new key (AssociateSoftwareToken); not in use until verified. */
  async startTotp(accessToken: string): Promise<TotpSetup> {
    // The label the app shows: the e-mail address (the pool's username may be a UUID).
    const me = await this.call(() => this.cognito.send(new GetUserCommand({ AccessToken: accessToken })));
    const account = me.UserAttributes?.find((a) => a.Name === 'email')?.Value ?? me.Username ?? '';
    const out = await this.call(() =>
      this.cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken })),
    );
    if (!out.SecretCode) throw badGateway('The identity provider sent no authenticator key.');
    return { secret_code: out.SecretCode, otpauth_uri: otpauthUri(out.SecretCode, account, this.issuer) };
  }

  /** Verifies a code from the new key, then turns TOTP on and makes it the preferred factor. */
  async verifyTotp(accessToken: string, code: string): Promise<void> {
    await this.call(async () => {
      const out = await this.cognito.send(
        new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code }),
      );
      if (out.Status !== 'SUCCESS') throw badRequest('The code does not match the authenticator key.');
      await this.cognito.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
    });
  }

  /** Turns TOTP off (SetUserMFAPreference). With MFA required by the pool, the next sign-in sets one up again. */
  async removeTotp(accessToken: string): Promise<void> {
    await this.call(() =>
      this.cognito.send(
        new SetUserMFAPreferenceCommand({
          AccessToken: accessToken,
          SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
        }),
      ),
    );
  }

  /** The user's factors as the IdP reports them (GetUser: UserMFASettingList, PreferredMfaSetting). */
  async status(accessToken: string): Promise<MfaStatus> {
    const out = await this.call(() => this.cognito.send(new GetUserCommand({ AccessToken: accessToken })));
    const known = (f: string | undefined): f is MfaType =>
      f === 'SOFTWARE_TOKEN_MFA' || f === 'EMAIL_OTP' || f === 'SMS_MFA';
    return {
      enabled: (out.UserMFASettingList ?? []).filter(known),
      preferred: known(out.PreferredMfaSetting) ? out.PreferredMfaSetting : null,
    };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (
        isCognitoError(
          err,
          'CodeMismatchException',
          'EnableSoftwareTokenMFAException',
          'ExpiredCodeException',
        )
      )
        throw badRequest('The code does not match the authenticator key, or it was already used.');
      // No key associated yet (verify before start), or the pool does not allow TOTP.
      if (isCognitoError(err, 'SoftwareTokenMFANotFoundException', 'InvalidParameterException'))
        throw conflict(
          'Start the set-up first (POST /users/me/mfa/totp), and check TOTP is enabled for the pool.',
        );
      throw upstreamProblem(err);
    }
  }
}
