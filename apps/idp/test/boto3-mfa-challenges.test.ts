import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPythonFixture, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

// Issue 11's "boto3 for every operation and challenge": the MFA operations and challenges beyond
// boto3_mfa.py's TOTP path, USER_AUTH and the passkey operations, through unchanged boto3. The
// PASSWORD_SRP claim and the passkey are computed in Python (fixtures/boto3_client_side.py).
const probe = spawnSync('python3', ['-c', 'import boto3, cryptography'], { encoding: 'utf8' });
const missing = probe.status !== 0;
if (missing)
  console.warn(
    `skipping the boto3 MFA/USER_AUTH tests: python3 -c 'import boto3, cryptography' failed (${probe.stderr || probe.error})`,
  );

let t: TestIdp;
beforeAll(async () => {
  if (!missing) t = await startTestIdp();
});
afterAll(() => t?.close());

/** Runs a fixture against the IdP (asynchronously: the IdP answers from this very process). */
async function runFixture(script: string) {
  const run = await runPythonFixture(t.idp.url, script, {
    timeout: 120_000,
    env: { EMAIL: uniqueEmail('boto3'), PASSWORD: 'Strong-Pass-123!', NOW_MS: String(t.clock.now) },
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

const expired = 'NotAuthorizedException: Invalid session for the user, session is expired.';
const mismatch = 'CodeMismatchException: Invalid code or auth state for the user.';

describe.skipIf(missing)('boto3: MFA, USER_AUTH and passkeys', () => {
  it('pool MFA settings, MFA_SETUP (TOTP by session, e-mail), SELECT_MFA_TYPE, SMS_MFA, EMAIL_OTP, the admin twins and lockout', async () => {
    const out = await runFixture('boto3_mfa_challenges.py');
    expect(out.createOnWithoutSms).toBe(
      'InvalidParameterException: SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
    );
    expect(out.describedBefore).toBe('OFF');
    expect(out.offWithFactor).toBe(
      "InvalidParameterException: Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    );
    expect(out.onWithoutFactor).toBe(
      "InvalidParameterException: Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    );
    expect(out.config).toEqual({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
      EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Your code' },
      SmsMfaConfiguration: {
        SmsAuthenticationMessage: 'SMS code {####}',
        SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'boto3' },
      },
    });
    expect(out.setEchoesGet).toBe(true);
    expect(out.describedAfterUpdate).toBe('ON');

    // MFA_SETUP: TOTP through AssociateSoftwareToken / VerifySoftwareToken with the challenge's Session.
    expect(out.setup).toEqual({ challenge: 'MFA_SETUP', canSetUp: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] });
    expect(out.setupWithoutToken).toMatch(/^InvalidParameterException: /);
    expect(out.associateBySession).toEqual({ secretLength: expect.any(Number), newSession: true });
    expect(out.associateBySession.secretLength).toBeGreaterThanOrEqual(16);
    expect(out.verifyWrong).toBe(
      'EnableSoftwareTokenMFAException: Code mismatch and fail enable Software Token MFA',
    );
    expect(out.verifyStatus).toBe('SUCCESS');
    expect(out.setupTokens).toBe(true);
    expect(out.emailSetupOther).toMatch(/^InvalidParameterException: /);
    expect(out.emailSetup).toBe('EMAIL_OTP');
    expect(out.emailSetupTokens).toBe(true);
    expect(out.emailSetupList).toEqual(['EMAIL_OTP']);

    // Three factors, none preferred: SELECT_MFA_TYPE, then each factor's own challenge.
    expect(out.adminSettings).toEqual({
      list: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'],
      preferred: null,
    });
    expect(out.select).toEqual({
      challenge: 'SELECT_MFA_TYPE',
      canChoose: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'],
    });
    expect(out.selectBadAnswer).toMatch(/^InvalidParameterException: /);
    expect(out.sms).toEqual({
      challenge: 'SMS_MFA',
      parameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0142' },
    });
    expect(out.smsWrong).toBe(mismatch);
    expect(out.smsTokens).toBe(true);
    expect(out.email).toEqual({ challenge: 'EMAIL_OTP', medium: 'EMAIL' });
    expect(out.emailWrong).toBe(mismatch);
    expect(out.emailTokens).toBe(true);
    expect(out.emailSpent).toBe(expired);

    // AdminInitiateAuth / AdminRespondToAuthChallenge; the client-side twin cannot answer their steps.
    expect(out.adminChallenges).toEqual(['SELECT_MFA_TYPE', 'SOFTWARE_TOKEN_MFA']);
    expect(out.clientAnswersAdmin).toBe(expired);
    expect(out.adminWrong).toBe(mismatch);
    expect(out.adminTokens).toBe(true);
    expect(out.adminReused).toBe('ExpiredCodeException: Your software token has already been used once.');

    // The user's own preference, read back through GetUser; by access token no Session comes back.
    expect(out.userSettings.preferred).toBe('SOFTWARE_TOKEN_MFA');
    expect([...out.userSettings.list].sort()).toEqual(['EMAIL_OTP', 'SOFTWARE_TOKEN_MFA']);
    expect(out.preferredChallenge).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.notVerified).toBe('InvalidParameterException: User has not verified software token mfa');
    expect(out.associateByTokenSession).toBe(false);

    // Five wrong e-mailed codes lock the user out of the password step too.
    expect(out.lockoutCodes).toEqual([mismatch]);
    expect(out.lockedOut).toBe('NotAuthorizedException: Password attempts exceeded');
  });

  it('USER_AUTH: SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP, EMAIL_OTP, WEB_AUTHN, the admin twin, and every passkey operation', async () => {
    const out = await runFixture('boto3_user_auth.py');
    expect(out.notAllowed).toBe('InvalidParameterException: USER_AUTH flow not enabled for this client');
    expect(out.choice).toEqual({
      challenge: 'SELECT_CHALLENGE',
      available: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
    });
    expect(out.choiceBad).toMatch(/^InvalidParameterException: /);
    expect(out.choicePasswordTokens).toBe(true);
    expect(out.wrongPassword).toBe('NotAuthorizedException: Incorrect username or password.');
    expect(out.srpChallenge).toBe('PASSWORD_VERIFIER');
    expect(out.srpTokens).toBe(true);
    expect(out.srpWrongPassword).toBe('NotAuthorizedException: Incorrect username or password.');
    expect(out.otp).toEqual({ challenge: 'EMAIL_OTP', medium: 'EMAIL' });
    expect(out.otpWrong).toBe(mismatch);
    expect(out.otpTokens).toBe(true);
    expect(out.chosenOtp).toBe('EMAIL_OTP');
    expect(out.chosenOtpTokens).toBe(true);
    expect(out.adminTokens).toBe(true);
    expect(out.adminChoiceTokens).toBe(true);

    expect(out.noRelyingParty).toMatch(/^WebAuthnConfigurationMissingException: /);
    expect(out.creationOptions).toEqual({
      rp: { id: 'localhost', name: 'boto3-user-auth' },
      challenge: true,
    });
    expect(out.registeredAgain).toMatch(/^WebAuthnChallengeNotFoundException: /);
    expect(out.listed).toEqual([
      {
        CredentialId: out.credentialId,
        RelyingPartyId: 'localhost',
        AuthenticatorAttachment: 'platform',
        AuthenticatorTransports: ['internal'],
      },
    ]);
    expect(out.factors).toEqual(['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN']);
    expect(out.webAuthn).toEqual({ challenge: 'WEB_AUTHN', rpId: 'localhost' });
    expect(out.otherKey).toBe('NotAuthorizedException: Incorrect username or password.');
    expect(out.webAuthnTokens).toBe(true);
    expect(out.afterDelete).toEqual([]);
    expect(out.deletedAgain).toMatch(/^ResourceNotFoundException: /);
    expect(out.notEnabled).toMatch(/^WebAuthnNotEnabledException: /);
  });
});
