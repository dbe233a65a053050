/** Durability cases for the MFA operations (durability-operations.test.ts). */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import type { Case } from './durability-steps.ts';
import { newUser, passwordAuth, setMfa, totpNow } from './mfa-helpers.ts';
import { SoftwarePasskey } from './webauthn-authenticator.ts';

const mfaOf = (y: Parameters<Case>[0], email: string) =>
  y.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: y.idp.pool.poolId, Username: email }));

async function associated(x: Parameters<Case>[0]) {
  await setMfa(x, 'OPTIONAL', { totp: true, email: true });
  const email = await newUser(x, 'durable-mfa');
  const AccessToken = (await passwordAuth(x, email)).AuthenticationResult!.AccessToken!;
  const { SecretCode } = await x.cognito.send(new sdk.AssociateSoftwareTokenCommand({ AccessToken }));
  return { email, AccessToken, secret: SecretCode! };
}

/** A pool that allows passkeys, a user signed in to it, and one passkey registered. */
async function withPasskey(x: Parameters<Case>[0]) {
  const pool = await x.cognito.send(
    new sdk.CreateUserPoolCommand({
      PoolName: 'durable-passkeys',
      UsernameAttributes: ['email'],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    }),
  );
  const UserPoolId = pool.UserPool!.Id!;
  await x.cognito.send(
    new sdk.SetUserPoolMfaConfigCommand({
      UserPoolId,
      WebAuthnConfiguration: { RelyingPartyId: 'localhost' },
    }),
  );
  const client = await x.cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId,
      ClientName: 'c',
      ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
    }),
  );
  const ClientId = client.UserPoolClient!.ClientId!;
  const Username = 'durable-passkey@example.com';
  const Password = 'Strong-Pass-123!';
  await x.cognito.send(new sdk.AdminCreateUserCommand({ UserPoolId, Username, MessageAction: 'SUPPRESS' }));
  await x.cognito.send(
    new sdk.AdminSetUserPasswordCommand({ UserPoolId, Username, Password, Permanent: true }),
  );
  const signIn = async (y: Parameters<Case>[0]) =>
    (
      await y.cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: { USERNAME: Username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: Password },
        }),
      )
    ).AuthenticationResult!.AccessToken!;
  const AccessToken = await signIn(x);
  const start = await x.cognito.send(new sdk.StartWebAuthnRegistrationCommand({ AccessToken }));
  const key = new SoftwarePasskey('http://localhost:5173');
  await x.cognito.send(
    new sdk.CompleteWebAuthnRegistrationCommand({
      AccessToken,
      Credential: key.create(start.CredentialCreationOptions as never) as never,
    }),
  );
  const list = async (y: Parameters<Case>[0]) =>
    (await y.cognito.send(new sdk.ListWebAuthnCredentialsCommand({ AccessToken: await signIn(y) })))
      .Credentials;
  return { AccessToken, key, list };
}

export const mfaCases: Record<string, Case> = {
  async CompleteWebAuthnRegistration(x) {
    const { key, list } = await withPasskey(x);
    return async (y) => expect((await list(y))?.map((c) => c.CredentialId)).toEqual([key.credentialId]);
  },
  async DeleteWebAuthnCredential(x) {
    const { AccessToken, key, list } = await withPasskey(x);
    await x.cognito.send(
      new sdk.DeleteWebAuthnCredentialCommand({ AccessToken, CredentialId: key.credentialId }),
    );
    return async (y) => expect(await list(y)).toEqual([]);
  },
  async SetUserPoolMfaConfig(x) {
    await setMfa(x, 'OPTIONAL', { totp: true, email: true });
    return async (y) => {
      const got = await y.cognito.send(
        new sdk.GetUserPoolMfaConfigCommand({ UserPoolId: y.idp.pool.poolId }),
      );
      expect(got.MfaConfiguration).toBe('OPTIONAL');
      expect(got.EmailMfaConfiguration?.Message).toContain('{####}');
    };
  },
  async AssociateSoftwareToken(x) {
    const { email, secret } = await associated(x);
    // The associated (not yet verified) secret survives: verifying it on the copy works.
    return async (y) => {
      const AccessToken = (await passwordAuth(y, email)).AuthenticationResult!.AccessToken!;
      const out = await y.cognito.send(
        new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: totpNow(y, secret) }),
      );
      expect(out.Status).toBe('SUCCESS');
    };
  },
  async VerifySoftwareToken(x) {
    const { email, AccessToken, secret } = await associated(x);
    await x.cognito.send(new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: totpNow(x, secret) }));
    return async (y) => expect((await mfaOf(y, email)).UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
  },
  async SetUserMFAPreference(x) {
    const { email, AccessToken } = await associated(x);
    await x.cognito.send(
      new sdk.SetUserMFAPreferenceCommand({
        AccessToken,
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    return async (y) => expect((await mfaOf(y, email)).PreferredMfaSetting).toBe('EMAIL_OTP');
  },
  async AdminSetUserMFAPreference(x) {
    await setMfa(x, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(x, 'durable-mfa');
    await x.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        EmailMfaSettings: { Enabled: true },
      }),
    );
    return async (y) => expect((await mfaOf(y, email)).UserMFASettingList).toEqual(['EMAIL_OTP']);
  },
};
