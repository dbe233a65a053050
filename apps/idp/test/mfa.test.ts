import { computePasswordClaim, startClientSession } from '@app/cognito-srp';
import { srpSignIn } from '@app/cognito-srp/sign-in';
import { definition } from '@app/pool-definition';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp } from './helpers.ts';
import {
  enrolTotp,
  errorOf,
  newUser,
  passwordAuth,
  respond,
  setMfa,
  totpNow,
  wrongCode,
} from './mfa-helpers.ts';

// MFA through the AWS SDK v3: pool settings, TOTP enrolment, each challenge, lockout, every sign-in path.
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());
const poolId = () => t.idp.pool.poolId;
/** For pools created with Cognito's default policy (upper case, digits, symbols). */
const strongPassword = 'Strong-Pass-123!';

describe('pool MFA configuration', () => {
  it('bootstraps the shared definition’s MFA mode and factors', async () => {
    const got = await t.cognito.send(new sdk.GetUserPoolMfaConfigCommand({ UserPoolId: poolId() }));
    expect(got.MfaConfiguration).toBe(definition.mfaConfiguration);
    expect(got.SoftwareTokenMfaConfiguration?.Enabled).toBe(
      definition.mfaFactors.includes('SOFTWARE_TOKEN_MFA'),
    );
    expect(got.EmailMfaConfiguration !== undefined).toBe(definition.mfaFactors.includes('EMAIL_OTP'));
    // Passkeys (ADR 0142): the definition's user verification; no relying-party id (localhost).
    expect(got.WebAuthnConfiguration).toEqual({
      UserVerification: definition.passkeys?.userVerification,
      FactorConfiguration: 'SINGLE_FACTOR',
    });
  });

  it('SetUserPoolMfaConfig stores the mode and factors; GetUserPoolMfaConfig and DescribeUserPool echo them', async () => {
    const set = await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    expect(set.MfaConfiguration).toBe('OPTIONAL');
    expect(set.SoftwareTokenMfaConfiguration).toEqual({ Enabled: true });
    expect(set.EmailMfaConfiguration).toEqual({
      Message: 'Your sign-in code is {####}',
      Subject: 'Sign-in code',
    });
    const got = await t.cognito.send(new sdk.GetUserPoolMfaConfigCommand({ UserPoolId: poolId() }));
    expect(got.MfaConfiguration).toBe('OPTIONAL');
    expect(got.SoftwareTokenMfaConfiguration?.Enabled).toBe(true);
    expect(got.SmsMfaConfiguration).toBeUndefined();
    const pool = await t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: poolId() }));
    expect(pool.UserPool?.MfaConfiguration).toBe('OPTIONAL');
  });

  it('refuses ON or OPTIONAL without a factor, and a message without {####}', async () => {
    const none = await errorOf(setMfa(t, 'ON', {}));
    expect(none).toEqual({
      name: 'InvalidParameterException',
      message:
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.",
    });
    const offWithFactor = await errorOf(setMfa(t, 'OFF', { totp: true }));
    expect(offWithFactor).toEqual({
      name: 'InvalidParameterException',
      message: "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    });
    expect((await errorOf(setMfa(t, 'OFF', { email: true }))).message).toBe(offWithFactor.message);
    const bad = await errorOf(
      t.cognito.send(
        new sdk.SetUserPoolMfaConfigCommand({
          UserPoolId: poolId(),
          MfaConfiguration: 'OPTIONAL',
          EmailMfaConfiguration: { Message: 'no placeholder here' },
        }),
      ),
    );
    expect(bad).toEqual({ name: 'InvalidParameterException', message: expect.stringContaining('{####}') });
    // Nothing changed.
    const got = await t.cognito.send(new sdk.GetUserPoolMfaConfigCommand({ UserPoolId: poolId() }));
    expect(got.MfaConfiguration).toBe('OPTIONAL');
    expect(got.EmailMfaConfiguration?.Message).toBe('Your sign-in code is {####}');
  });
});

describe('MfaConfiguration on CreateUserPool and UpdateUserPool (ADR 0214)', () => {
  const smsRole = { SnsCallerArn: 'arn:aws:iam::000000000000:role/sns', ExternalId: 'x' };
  const required =
    'SMS configuration and Auto verification for phone_number are required when MFA is required/optional';

  it('refuses ON or OPTIONAL on a new pool without SMS, and creates one with SMS MFA on when given', async () => {
    for (const mode of ['ON', 'OPTIONAL'] as const)
      expect(
        await errorOf(
          t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: 'no-factor', MfaConfiguration: mode })),
        ),
      ).toEqual({ name: 'InvalidParameterException', message: required });
    const noPhone = await errorOf(
      t.cognito.send(
        new sdk.CreateUserPoolCommand({
          PoolName: 'no-phone',
          MfaConfiguration: 'ON',
          SmsConfiguration: smsRole,
        }),
      ),
    );
    expect(noPhone.message).toBe(required);
    const created = await t.cognito.send(
      new sdk.CreateUserPoolCommand({
        PoolName: 'sms-mfa',
        MfaConfiguration: 'OPTIONAL',
        SmsConfiguration: smsRole,
        AutoVerifiedAttributes: ['phone_number'],
        SmsAuthenticationMessage: 'Sign-in code {####}',
      }),
    );
    expect(created.UserPool?.MfaConfiguration).toBe('OPTIONAL');
    const got = await t.cognito.send(
      new sdk.GetUserPoolMfaConfigCommand({ UserPoolId: created.UserPool!.Id! }),
    );
    expect(got).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: false },
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Sign-in code {####}', SmsConfiguration: smsRole },
    });
  });

  it('UpdateUserPool turns MFA ON for a pool with a factor, refuses it for one without, and OFF always', async () => {
    const created = await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: 'update-mfa' }));
    const UserPoolId = created.UserPool!.Id!;
    expect(
      await errorOf(t.cognito.send(new sdk.UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'ON' }))),
    ).toEqual({ name: 'InvalidParameterException', message: required });
    expect(
      (await t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId }))).UserPool?.MfaConfiguration,
    ).toBe('OFF');
    await setMfa(t, 'OPTIONAL', { totp: true }, UserPoolId);
    await t.cognito.send(new sdk.UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'ON' }));
    const on = await t.cognito.send(new sdk.GetUserPoolMfaConfigCommand({ UserPoolId }));
    expect(on).toMatchObject({ MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } });
    await t.cognito.send(new sdk.UpdateUserPoolCommand({ UserPoolId, MfaConfiguration: 'OFF' }));
    expect(
      (await t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId }))).UserPool?.MfaConfiguration,
    ).toBe('OFF');
  });
});

describe('TOTP', () => {
  beforeAll(() => setMfa(t, 'OPTIONAL', { totp: true, email: true }));

  it('associates with an access token, refuses a wrong code, verifies a right one, and GetUser lists it', async () => {
    const email = await newUser(t);
    const signedIn = await passwordAuth(t, email);
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    const assoc = await t.cognito.send(new sdk.AssociateSoftwareTokenCommand({ AccessToken }));
    expect(assoc.SecretCode).toMatch(/^[A-Z2-7]{16,}$/);
    expect(assoc.Session).toBeUndefined();
    const wrong = await errorOf(
      t.cognito.send(
        new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: wrongCode(t, assoc.SecretCode!) }),
      ),
    );
    expect(wrong).toEqual({
      name: 'EnableSoftwareTokenMFAException',
      message: 'Code mismatch and fail enable Software Token MFA',
    });
    const notYet = await errorOf(
      t.cognito.send(
        new sdk.SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true } }),
      ),
    );
    expect(notYet).toEqual({
      name: 'InvalidParameterException',
      message: 'User has not verified software token mfa',
    });
    const ok = await t.cognito.send(
      new sdk.VerifySoftwareTokenCommand({
        AccessToken,
        UserCode: totpNow(t, assoc.SecretCode!),
        FriendlyDeviceName: 'phone',
      }),
    );
    expect(ok.Status).toBe('SUCCESS');
    await t.cognito.send(
      new sdk.SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const me = await t.cognito.send(new sdk.GetUserCommand({ AccessToken }));
    expect(me.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(me.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
    const admin = await t.cognito.send(
      new sdk.AdminGetUserCommand({ UserPoolId: poolId(), Username: email }),
    );
    expect(admin.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(admin.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('asks for the code after a right password; a wrong code is CodeMismatchException, a used one ExpiredCodeException', async () => {
    const email = await newUser(t);
    const { secret } = await enrolTotp(t, email);
    const start = await passwordAuth(t, email);
    expect(start.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(start.AuthenticationResult).toBeUndefined();
    expect(start.Session).toBeTruthy();
    const wrong = await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', start.Session!, {
        SOFTWARE_TOKEN_MFA_CODE: wrongCode(t, secret),
      }),
    );
    expect(wrong).toEqual({
      name: 'CodeMismatchException',
      message: 'Invalid code or auth state for the user.',
    });
    // The session survives a wrong code, as Cognito's does.
    const code = totpNow(t, secret);
    const done = await respond(t, email, 'SOFTWARE_TOKEN_MFA', start.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: code,
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const again = await passwordAuth(t, email);
    const reused = await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', again.Session!, { SOFTWARE_TOKEN_MFA_CODE: code }),
    );
    expect(reused.name).toBe('ExpiredCodeException');
    // One step later the next code works; the session was not spent by the reuse.
    t.clock.advance(30_000);
    const next = await respond(t, email, 'SOFTWARE_TOKEN_MFA', again.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret),
    });
    expect(next.AuthenticationResult?.IdToken).toBeTruthy();
  });

  it('VerifySoftwareToken takes a neighbouring step too, and that code is spent for the sign-in that follows', async () => {
    const email = await newUser(t);
    const AccessToken = (await passwordAuth(t, email)).AuthenticationResult!.AccessToken!;
    const { SecretCode } = await t.cognito.send(new sdk.AssociateSoftwareTokenCommand({ AccessToken }));
    const secret = SecretCode!;
    const far = await errorOf(
      t.cognito.send(new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: totpNow(t, secret, -2) })),
    );
    expect(far.name).toBe('EnableSoftwareTokenMFAException');
    const earlier = totpNow(t, secret, -1);
    const ok = await t.cognito.send(new sdk.VerifySoftwareTokenCommand({ AccessToken, UserCode: earlier }));
    expect(ok.Status).toBe('SUCCESS');
    await t.cognito.send(
      new sdk.SetUserMFAPreferenceCommand({
        AccessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const start = await passwordAuth(t, email);
    const reused = await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', start.Session!, { SOFTWARE_TOKEN_MFA_CODE: earlier }),
    );
    expect(reused).toEqual({
      name: 'ExpiredCodeException',
      message: 'Your software token has already been used once.',
    });
    const done = await respond(t, email, 'SOFTWARE_TOKEN_MFA', start.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('accepts the neighbouring steps (±30 s) and nothing further', async () => {
    const email = await newUser(t);
    const { secret } = await enrolTotp(t, email);
    const a = await passwordAuth(t, email);
    const far = await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', a.Session!, { SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret, 2) }),
    );
    expect(far.name).toBe('CodeMismatchException');
    const late = await respond(t, email, 'SOFTWARE_TOKEN_MFA', a.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret, 1),
    });
    expect(late.AuthenticationResult).toBeDefined();
  });

  it('counts wrong codes toward the lockout, and a new password sign-in does not reset the count', async () => {
    const email = await newUser(t);
    const { secret } = await enrolTotp(t, email);
    for (let i = 0; i < 4; i++) {
      const s = await passwordAuth(t, email);
      expect(
        (
          await errorOf(
            respond(t, email, 'SOFTWARE_TOKEN_MFA', s.Session!, {
              SOFTWARE_TOKEN_MFA_CODE: wrongCode(t, secret),
            }),
          )
        ).name,
      ).toBe('CodeMismatchException');
    }
    const s = await passwordAuth(t, email);
    await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', s.Session!, { SOFTWARE_TOKEN_MFA_CODE: wrongCode(t, secret) }),
    );
    // Five wrong codes: locked, for the password step and the code step alike, even with the right code.
    expect(await errorOf(passwordAuth(t, email))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Password attempts exceeded',
    });
    const right = await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', s.Session!, { SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret) }),
    );
    expect(right).toEqual({ name: 'NotAuthorizedException', message: 'Password attempts exceeded' });
    t.clock.advance(2_000);
    const after = await passwordAuth(t, email);
    const ok = await respond(t, email, 'SOFTWARE_TOKEN_MFA', after.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret),
    });
    expect(ok.AuthenticationResult).toBeDefined();
  });

  it('refuses an unknown or expired session with Cognito’s words', async () => {
    const email = await newUser(t);
    const { secret } = await enrolTotp(t, email);
    const s = await passwordAuth(t, email);
    t.clock.advance(3 * 60_000 + 1000);
    const late = await errorOf(
      respond(t, email, 'SOFTWARE_TOKEN_MFA', s.Session!, { SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret) }),
    );
    expect(late).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });
});

describe('no tokens without the code, by any API path', () => {
  let email: string;
  let secret: string;
  let refreshToken: string;
  beforeAll(async () => {
    await setMfa(t, 'OPTIONAL', { totp: true });
    email = await newUser(t);
    const enrolled = await enrolTotp(t, email);
    secret = enrolled.secret;
    refreshToken = enrolled.first.AuthenticationResult!.RefreshToken!;
  });
  const adminAuth = () =>
    t.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: poolId(),
        ClientId: t.web.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
      }),
    );
  const webRespond = (Session: string) =>
    t.cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: t.web.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session,
        ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret) },
      }),
    );

  it('SRP (USER_SRP_AUTH) ends in SOFTWARE_TOKEN_MFA, not tokens', async () => {
    const out = await srpSignIn(
      t.cognito,
      { userPoolId: poolId(), clientId: t.web.clientId },
      email,
      poolPassword,
    );
    expect(out.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.AuthenticationResult).toBeUndefined();
    const done = await webRespond(out.Session!);
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    t.clock.advance(30_000);
  });

  it('ADMIN_USER_PASSWORD_AUTH (and ADMIN_NO_SRP_AUTH) ends in SOFTWARE_TOKEN_MFA, answered with AdminRespondToAuthChallenge', async () => {
    await t.cognito.send(
      new sdk.UpdateUserPoolClientCommand({
        UserPoolId: poolId(),
        ClientId: t.web.clientId,
        ExplicitAuthFlows: [
          'ALLOW_USER_SRP_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        ],
      }),
    );
    const out = await adminAuth();
    expect(out.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.AuthenticationResult).toBeUndefined();
    // The client-side twin cannot answer an admin sign-in's challenge.
    const crossed = await errorOf(webRespond(out.Session!));
    expect(crossed.name).toBe('NotAuthorizedException');
    const again = await adminAuth();
    const done = await t.cognito.send(
      new sdk.AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId(),
        ClientId: t.web.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: again.Session,
        ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret) },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    t.clock.advance(30_000);
    // The flow's older name, which Cognito still accepts, asks for the code too.
    const legacy = await t.cognito.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: poolId(),
        ClientId: t.web.clientId,
        AuthFlow: 'ADMIN_NO_SRP_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
      }),
    );
    expect(legacy.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(legacy.AuthenticationResult).toBeUndefined();
  });

  it('USER_PASSWORD_AUTH ends in SOFTWARE_TOKEN_MFA', async () => {
    const out = await passwordAuth(t, email);
    expect(out.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.AuthenticationResult).toBeUndefined();
  });

  it('admin SRP (AdminInitiateAuth USER_SRP_AUTH) ends in SOFTWARE_TOKEN_MFA', async () => {
    const backend = { userPoolId: poolId(), ...t.backend };
    const out = await srpSignIn(t.cognito, backend, email, poolPassword, { admin: true });
    expect(out.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.AuthenticationResult).toBeUndefined();
  });

  it('USER_AUTH with the password as first factor (preferred, or chosen at SELECT_CHALLENGE) ends in SOFTWARE_TOKEN_MFA', async () => {
    // The shared definition's backend client allows USER_AUTH (ADR 0141).
    const userAuth = (extra: Record<string, string>) =>
      t.cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId: t.backend.clientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: { USERNAME: email, SECRET_HASH: t.secretHash(email), ...extra },
        }),
      );
    const direct = await userAuth({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: poolPassword });
    expect(direct.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(direct.AuthenticationResult).toBeUndefined();

    const choice = await userAuth({});
    expect(choice.ChallengeName).toBe('SELECT_CHALLENGE');
    const chosen = await t.cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: t.backend.clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: choice.Session,
        ChallengeResponses: {
          USERNAME: email,
          SECRET_HASH: t.secretHash(email),
          ANSWER: 'PASSWORD',
          PASSWORD: poolPassword,
        },
      }),
    );
    expect(chosen.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(chosen.AuthenticationResult).toBeUndefined();
  });

  it('USER_AUTH with PASSWORD_SRP ends in SOFTWARE_TOKEN_MFA after the password verifier, not tokens', async () => {
    const session = startClientSession();
    const start = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: {
          USERNAME: email,
          SECRET_HASH: t.secretHash(email),
          PREFERRED_CHALLENGE: 'PASSWORD_SRP',
          SRP_A: session.A,
        },
      }),
    );
    expect(start.ChallengeName).toBe('PASSWORD_VERIFIER');
    const p = start.ChallengeParameters!;
    const claim = computePasswordClaim({
      poolId: poolId(),
      userIdForSrp: p.USER_ID_FOR_SRP!,
      password: poolPassword,
      saltHex: p.SALT!,
      srpBHex: p.SRP_B!,
      secretBlockB64: p.SECRET_BLOCK!,
      session,
    });
    const out = await t.cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: t.backend.clientId,
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: start.Session,
        ChallengeResponses: {
          USERNAME: p.USER_ID_FOR_SRP!,
          SECRET_HASH: t.secretHash(p.USER_ID_FOR_SRP!),
          PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK!,
          PASSWORD_CLAIM_SIGNATURE: claim.signatureB64,
          TIMESTAMP: claim.timestamp,
        },
      }),
    );
    expect(out.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.AuthenticationResult).toBeUndefined();
  });

  it('a refresh token from before MFA was turned on still refreshes, as in Cognito', async () => {
    const out = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: t.secretHash(email) },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe('e-mail and SMS codes, choosing, and setting up', () => {
  it('EMAIL_OTP mails a code to the dev mailbox and accepts it once', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'emailmfa');
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId(),
        Username: email,
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const start = await passwordAuth(t, email);
    expect(start.ChallengeName).toBe('EMAIL_OTP');
    expect(start.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: `e***@e***`,
    });
    const mail = (await t.mailbox(email)).find((m) => m.kind === 'mfa')!;
    expect(mail.body).toBe(`Your sign-in code is ${mail.code}`);
    expect(mail.subject).toBe('Sign-in code');
    const wrong = await errorOf(
      respond(t, email, 'EMAIL_OTP', start.Session!, {
        EMAIL_OTP_CODE: mail.code === '000000' ? '111111' : '000000',
      }),
    );
    expect(wrong.name).toBe('CodeMismatchException');
    const done = await respond(t, email, 'EMAIL_OTP', start.Session!, { EMAIL_OTP_CODE: mail.code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const reused = await errorOf(
      respond(t, email, 'EMAIL_OTP', start.Session!, { EMAIL_OTP_CODE: mail.code }),
    );
    expect(reused).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session is expired.',
    });
  });

  it('SELECT_MFA_TYPE lists the factors when several are on and none is preferred', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'select');
    const { secret } = await enrolTotp(t, email);
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId(),
        Username: email,
        EmailMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const user = await t.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: poolId(), Username: email }));
    expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP']);
    expect(user.PreferredMfaSetting).toBeUndefined();
    const start = await passwordAuth(t, email);
    expect(start.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(JSON.parse(start.ChallengeParameters!.MFAS_CAN_CHOOSE!)).toEqual([
      'SOFTWARE_TOKEN_MFA',
      'EMAIL_OTP',
    ]);
    const chosen = await respond(t, email, 'SELECT_MFA_TYPE', start.Session!, {
      ANSWER: 'SOFTWARE_TOKEN_MFA',
    });
    expect(chosen.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const done = await respond(t, email, 'SOFTWARE_TOKEN_MFA', chosen.Session!, {
      SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret),
    });
    expect(done.AuthenticationResult).toBeDefined();
  });

  /** A pool of its own (Cognito's default password policy) with a password client and one user. */
  async function ownPool(
    mode: 'ON' | 'OPTIONAL',
    factors: Parameters<typeof setMfa>[2],
    attributes: sdk.AttributeType[] = [],
  ) {
    const created = await t.cognito.send(
      new sdk.CreateUserPoolCommand({
        PoolName: `mfa-${mode}`,
        UsernameAttributes: ['email'],
        Schema: [{ Name: 'email', Required: true }, { Name: 'phone_number' }],
      }),
    );
    const pid = created.UserPool!.Id!;
    await setMfa(t, mode, factors, pid);
    const client = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: pid,
        ClientName: 'c',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    const ClientId = client.UserPoolClient!.ClientId!;
    const email = `${mode.toLowerCase()}@example.com`;
    await t.cognito.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: pid,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: attributes,
      }),
    );
    await t.cognito.send(
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: pid,
        Username: email,
        Password: strongPassword,
        Permanent: true,
      }),
    );
    const signIn = () =>
      t.cognito.send(
        new sdk.InitiateAuthCommand({
          ClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: strongPassword },
        }),
      );
    const answer = (
      ChallengeName: sdk.ChallengeNameType,
      Session: string | undefined,
      more: Record<string, string> = {},
    ) =>
      t.cognito.send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId,
          ChallengeName,
          Session,
          ChallengeResponses: { USERNAME: email, ...more },
        }),
      );
    return { pid, email, signIn, answer };
  }

  it('MFA ON: a user without a factor sets up TOTP through MFA_SETUP with the session', async () => {
    const p = await ownPool('ON', { totp: true });
    const start = await p.signIn();
    expect(start.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(start.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect((await errorOf(p.answer('MFA_SETUP', start.Session))).name).toBe('InvalidParameterException');
    const assoc = await t.cognito.send(new sdk.AssociateSoftwareTokenCommand({ Session: start.Session }));
    expect(assoc.Session).toBeTruthy();
    const verified = await t.cognito.send(
      new sdk.VerifySoftwareTokenCommand({ Session: assoc.Session, UserCode: totpNow(t, assoc.SecretCode!) }),
    );
    expect(verified.Status).toBe('SUCCESS');
    const done = await p.answer('MFA_SETUP', verified.Session);
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    t.clock.advance(30_000);
    expect((await p.signIn()).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('MFA ON with e-mail codes: MFA_SETUP answered with EMAIL (the user’s own address) leads to EMAIL_OTP and turns it on', async () => {
    const p = await ownPool('ON', { totp: true, email: true });
    await t.cognito.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId: p.pid,
        Username: p.email,
        UserAttributes: [
          { Name: 'email', Value: p.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const start = await p.signIn();
    expect(start.ChallengeName).toBe('MFA_SETUP');
    expect(JSON.parse(start.ChallengeParameters!.MFAS_CAN_SETUP!)).toEqual([
      'SOFTWARE_TOKEN_MFA',
      'EMAIL_OTP',
    ]);
    const other = await errorOf(p.answer('MFA_SETUP', start.Session, { EMAIL: 'someone-else@example.com' }));
    expect(other.name).toBe('InvalidParameterException');
    // A refused address keeps the session, as a wrong code does.
    const sent = await p.answer('MFA_SETUP', start.Session, { EMAIL: p.email });
    expect(sent.ChallengeName).toBe('EMAIL_OTP');
    expect(sent.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM).toBe('EMAIL');
    const done = await p.answer('EMAIL_OTP', sent.Session, {
      EMAIL_OTP_CODE: await t.lastCode(p.email, 'mfa'),
    });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const user = await t.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: p.pid, Username: p.email }));
    expect(user.UserMFASettingList).toEqual(['EMAIL_OTP']);
    expect((await p.signIn()).ChallengeName).toBe('EMAIL_OTP');
  });

  it('SMS_MFA sends its code as an "SMS" to the dev mailbox under the phone number', async () => {
    const phone = '+15555550123';
    const p = await ownPool('OPTIONAL', { sms: true }, [{ Name: 'phone_number', Value: phone }]);
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: p.pid,
        Username: p.email,
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const start = await p.signIn();
    expect(start.ChallengeName).toBe('SMS_MFA');
    expect(start.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
      CODE_DELIVERY_DESTINATION: '+*******0123',
    });
    const sms = (await t.mailbox(phone)).find((m) => m.kind === 'sms')!;
    expect(sms.body).toBe(`Code: ${sms.code}`);
    const done = await p.answer('SMS_MFA', start.Session, { SMS_MFA_CODE: sms.code });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('turning a factor off ends the challenge for that user (OPTIONAL)', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true });
    const email = await newUser(t, 'off');
    await enrolTotp(t, email);
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId(),
        Username: email,
        SoftwareTokenMfaSettings: { Enabled: false },
      }),
    );
    const user = await t.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: poolId(), Username: email }));
    expect(user.UserMFASettingList).toBeUndefined();
    expect(user.PreferredMfaSetting).toBeUndefined();
    expect((await passwordAuth(t, email)).AuthenticationResult).toBeDefined();
  });
});
