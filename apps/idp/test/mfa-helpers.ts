/** Shared steps for the MFA tests: pool settings, a TOTP-enrolled user, codes computed as an app would. */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { Secret, TOTP } from 'otpauth';
import { poolPassword, type TestIdp, uniqueEmail } from './helpers.ts';

/** The code an authenticator app shows for `secret` at the IdP's clock (`stepOffset` 30 s steps away). */
export const totpNow = (t: TestIdp, secret: string, stepOffset = 0) =>
  TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: t.clock.now + stepOffset * 30_000,
  });

/** A code that is not the current one nor a neighbour's. */
export function wrongCode(t: TestIdp, secret: string) {
  const near = new Set([-1, 0, 1].map((o) => totpNow(t, secret, o)));
  for (let i = 0; ; i++) {
    const c = String(i).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

export function setMfa(
  t: TestIdp,
  mode: 'OFF' | 'ON' | 'OPTIONAL',
  factors: { totp?: boolean; email?: boolean; sms?: boolean } = { totp: true },
  poolId = t.idp.pool.poolId,
) {
  return t.cognito.send(
    new sdk.SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mode,
      SoftwareTokenMfaConfiguration: { Enabled: factors.totp === true },
      ...(factors.email
        ? { EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Sign-in code' } }
        : {}),
      ...(factors.sms
        ? {
            SmsMfaConfiguration: {
              SmsAuthenticationMessage: 'Code: {####}',
              SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' },
            },
          }
        : {}),
    }),
  );
}

/** A confirmed user in the bootstrapped pool with the shared password. */
export async function newUser(t: TestIdp, tag = 'mfa', poolId = t.idp.pool.poolId, password = poolPassword) {
  const email = uniqueEmail(tag);
  await t.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await t.cognito.send(
    new sdk.AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  return email;
}

/** USER_PASSWORD_AUTH with the backend client (SECRET_HASH included). */
export const passwordAuth = (t: TestIdp, email: string, password = poolPassword) =>
  t.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: t.secretHash(email) },
    }),
  );

export const respond = (
  t: TestIdp,
  email: string,
  name: string,
  session: string,
  responses: Record<string, string>,
) =>
  t.cognito.send(
    new sdk.RespondToAuthChallengeCommand({
      ClientId: t.backend.clientId,
      ChallengeName: name as sdk.ChallengeNameType,
      Session: session,
      ChallengeResponses: { USERNAME: email, SECRET_HASH: t.secretHash(email), ...responses },
    }),
  );

/** Signs in without MFA, enrols TOTP with the access token and returns the secret (TOTP on, preferred). */
export async function enrolTotp(t: TestIdp, email: string) {
  const first = await passwordAuth(t, email);
  const secret = await turnOnTotp(t, first.AuthenticationResult!.AccessToken!);
  return { secret, first };
}

/** Gives the user a verified phone number and turns SMS MFA on for them, preferred (as an admin would). */
export async function preferSms(t: TestIdp, email: string, phone: string) {
  await t.cognito.send(
    new sdk.AdminUpdateUserAttributesCommand({
      UserPoolId: t.idp.pool.poolId,
      Username: email,
      UserAttributes: [
        { Name: 'phone_number', Value: phone },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await t.cognito.send(
    new sdk.AdminSetUserMFAPreferenceCommand({
      UserPoolId: t.idp.pool.poolId,
      Username: email,
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
}

/** Enrols TOTP for the holder of the access token and prefers it; returns the secret. */
export async function turnOnTotp(t: TestIdp, AccessToken: string) {
  const { SecretCode } = await t.cognito.send(new sdk.AssociateSoftwareTokenCommand({ AccessToken }));
  await t.cognito.send(
    new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: totpNow(t, SecretCode!) }),
  );
  await t.cognito.send(
    new sdk.SetUserMFAPreferenceCommand({
      AccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  // The enrolment used this step's code; the next sign-in waits for the next step, as a user would.
  t.clock.advance(30_000);
  return SecretCode!;
}

export const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => ({ name: 'no error', message: '' }),
    (e: Error) => ({ name: e.name, message: e.message }),
  );

/**
 * A pool of its own that allows these first factors (SignInPolicy), with a public client that allows
 * USER_AUTH; the shared pool keeps Cognito's default (PASSWORD only).
 */
export async function choicePool(t: TestIdp, name: string, factors: sdk.AuthFactorType[]) {
  const pool = await t.cognito.send(
    new sdk.CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'email', Required: true }],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } },
    }),
  );
  const poolId = pool.UserPool!.Id!;
  const client = await t.cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: name,
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}
