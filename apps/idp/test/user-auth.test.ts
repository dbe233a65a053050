import { computePasswordClaim, startClientSession } from '@app/cognito-srp';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';
import { choicePool, errorOf, totpNow } from './mfa-helpers.ts';

// USER_AUTH (choice-based sign-in) through the AWS SDK and aws-amplify v6, on a pool of its own that
// allows passwords and e-mail codes as first factors, with a public client that allows USER_AUTH.
let t: TestIdp;
let poolId: string;
let clientId: string;
const password = 'Strong-Pass-123!';
const storage = new Map<string, string>();

beforeAll(async () => {
  t = await startTestIdp();
  ({ poolId, clientId } = await choicePool(t, 'choice', ['PASSWORD', 'EMAIL_OTP']));
  Amplify.configure({
    Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: t.idp.url } },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (k, v) => void storage.set(k, v),
    getItem: async (k) => storage.get(k) ?? null,
    removeItem: async (k) => void storage.delete(k),
    clear: async () => storage.clear(),
  });
});
afterEach(async () => {
  await signOut().catch(() => {});
});
afterAll(() => t.close());

let n = 0;
async function newUser(verified = true) {
  const email = `choice${n++}@example.com`;
  await t.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email_verified', Value: String(verified) }],
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

const userAuth = (AuthParameters: Record<string, string>, ClientId = clientId) =>
  t.cognito.send(new sdk.InitiateAuthCommand({ ClientId, AuthFlow: 'USER_AUTH', AuthParameters }));
const answer = (
  ChallengeName: sdk.ChallengeNameType,
  Session: string | undefined,
  ChallengeResponses: Record<string, string>,
) =>
  t.cognito.send(
    new sdk.RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName, Session, ChallengeResponses }),
  );

describe('USER_AUTH through the AWS SDK', () => {
  it('needs ALLOW_USER_AUTH on the client', async () => {
    const other = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'srp-only',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      }),
    );
    const err = await errorOf(userAuth({ USERNAME: 'x@example.com' }, other.UserPoolClient!.ClientId));
    expect(err).toEqual({
      name: 'InvalidParameterException',
      message: 'USER_AUTH flow not enabled for this client',
    });
  });

  it('without PREFERRED_CHALLENGE answers SELECT_CHALLENGE with AvailableChallenges; ANSWER=PASSWORD signs in', async () => {
    const email = await newUser();
    const start = await userAuth({ USERNAME: email });
    expect(start.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(start.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const bad = await errorOf(
      answer('SELECT_CHALLENGE', start.Session, { USERNAME: email, ANSWER: 'WEB_AUTHN' }),
    );
    expect(bad.name).toBe('InvalidParameterException');
    const done = await answer('SELECT_CHALLENGE', start.Session, {
      USERNAME: email,
      ANSWER: 'PASSWORD',
      PASSWORD: password,
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('offers no EMAIL_OTP to a user whose e-mail is not verified', async () => {
    const email = await newUser(false);
    const start = await userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(start.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(start.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
  });

  it('PREFERRED_CHALLENGE=PASSWORD signs in in one call; a wrong password is refused', async () => {
    const email = await newUser();
    const done = await userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password });
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    const wrong = await errorOf(
      userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: `${password}x` }),
    );
    expect(wrong).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('PREFERRED_CHALLENGE=PASSWORD_SRP answers PASSWORD_VERIFIER, then tokens', async () => {
    const email = await newUser();
    const session = startClientSession();
    const start = await userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: session.A });
    expect(start.ChallengeName).toBe('PASSWORD_VERIFIER');
    const p = start.ChallengeParameters!;
    const claim = computePasswordClaim({
      poolId,
      userIdForSrp: p.USER_ID_FOR_SRP!,
      password,
      saltHex: p.SALT!,
      srpBHex: p.SRP_B!,
      secretBlockB64: p.SECRET_BLOCK!,
      session,
    });
    const done = await answer('PASSWORD_VERIFIER', start.Session, {
      USERNAME: p.USER_ID_FOR_SRP!,
      PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK!,
      PASSWORD_CLAIM_SIGNATURE: claim.signatureB64,
      TIMESTAMP: claim.timestamp,
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('EMAIL_OTP is passwordless: a mailed code signs in, without MFA even for a TOTP user', async () => {
    const email = await newUser();
    await t.cognito.send(
      new sdk.SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
    const first = await userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password });
    const AccessToken = first.AuthenticationResult!.AccessToken!;
    const { SecretCode } = await t.cognito.send(new sdk.AssociateSoftwareTokenCommand({ AccessToken }));
    await t.cognito.send(
      new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: totpNow(t, SecretCode!) }),
    );
    const withPassword = await userAuth({
      USERNAME: email,
      PREFERRED_CHALLENGE: 'PASSWORD',
      PASSWORD: password,
    });
    expect(withPassword.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

    const start = await userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(start.ChallengeName).toBe('EMAIL_OTP');
    expect(start.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM).toBe('EMAIL');
    const code = await t.lastCode(email, 'mfa');
    const wrong = await errorOf(
      answer('EMAIL_OTP', start.Session, {
        USERNAME: email,
        EMAIL_OTP_CODE: code === '000000' ? '111111' : '000000',
      }),
    );
    expect(wrong.name).toBe('CodeMismatchException');
    const done = await answer('EMAIL_OTP', start.Session, { USERNAME: email, EMAIL_OTP_CODE: code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('answers an unknown user like a known one (PreventUserExistenceErrors) and never signs it in', async () => {
    const ghost = 'nobody-here@example.com';
    const start = await userAuth({ USERNAME: ghost });
    expect(start.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(start.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const otp = await answer('SELECT_CHALLENGE', start.Session, { USERNAME: ghost, ANSWER: 'EMAIL_OTP' });
    expect(otp.ChallengeName).toBe('EMAIL_OTP');
    expect(otp.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toBe('n***@e***');
    expect((await t.mailbox(ghost)).length).toBe(0);
    const guess = await errorOf(
      answer('EMAIL_OTP', otp.Session, { USERNAME: ghost, EMAIL_OTP_CODE: '123456' }),
    );
    expect(guess.name).toBe('CodeMismatchException');
    const pw = await errorOf(
      userAuth({ USERNAME: ghost, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password }),
    );
    expect(pw).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('GetUserAuthFactors and AdminGetUserAuthFactors list the configured first factors and MFA', async () => {
    const email = await newUser();
    const AccessToken = (
      await userAuth({ USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password })
    ).AuthenticationResult!.AccessToken!;
    const mine = await t.cognito.send(new sdk.GetUserAuthFactorsCommand({ AccessToken }));
    expect(mine.ConfiguredUserAuthFactors).toEqual(['PASSWORD', 'EMAIL_OTP']);
    expect(mine.UserMFASettingList).toBeUndefined();
    const admin = await t.cognito.send(
      new sdk.AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: email }),
    );
    expect(admin.Username).toBe(mine.Username);
    expect(admin.ConfiguredUserAuthFactors).toEqual(['PASSWORD', 'EMAIL_OTP']);
  });
});

describe('USER_AUTH through aws-amplify v6', () => {
  it('preferredChallenge EMAIL_OTP → CONFIRM_SIGN_IN_WITH_EMAIL_CODE → confirmSignIn', async () => {
    const email = await newUser();
    const first = await signIn({
      username: email,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' },
    });
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await t.lastCode(email, 'mfa') });
    expect(done.isSignedIn).toBe(true);
  });

  it('without a preference → CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION → PASSWORD → signed in', async () => {
    const email = await newUser();
    const first = await signIn({ username: email, options: { authFlowType: 'USER_AUTH' } });
    expect(first.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    expect((first.nextStep as { availableChallenges?: string[] }).availableChallenges).toEqual([
      'PASSWORD',
      'PASSWORD_SRP',
      'EMAIL_OTP',
    ]);
    const chosen = await confirmSignIn({ challengeResponse: 'PASSWORD' });
    expect(chosen.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_PASSWORD');
    const done = await confirmSignIn({ challengeResponse: password });
    expect(done.isSignedIn).toBe(true);
  });

  it('preferredChallenge PASSWORD_SRP with the password signs in', async () => {
    const email = await newUser();
    const done = await signIn({
      username: email,
      password,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' },
    });
    expect(done.isSignedIn).toBe(true);
  });
});
