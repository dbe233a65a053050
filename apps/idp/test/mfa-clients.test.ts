import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp } from './helpers.ts';
import { enrolTotp, newUser, preferSms, setMfa, totpNow, wrongCode } from './mfa-helpers.ts';

// MFA through the browser libraries: the newest aws-amplify v6 and amazon-cognito-identity-js, both
// unchanged, pointed at the IdP, with the web client (SRP, no secret).
let t: TestIdp;
const storage = new Map<string, string>();
beforeAll(async () => {
  t = await startTestIdp();
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: t.idp.pool.poolId,
        userPoolClientId: t.web.clientId,
        userPoolEndpoint: t.idp.url,
      },
    },
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

describe('aws-amplify v6', () => {
  it('signIn → CONFIRM_SIGN_IN_WITH_TOTP_CODE → confirmSignIn (a wrong code first)', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'amplify-totp');
    const { secret } = await enrolTotp(t, email);
    const first = await signIn({ username: email, password: poolPassword });
    expect(first.isSignedIn).toBe(false);
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await expect(confirmSignIn({ challengeResponse: wrongCode(t, secret) })).rejects.toMatchObject({
      name: 'CodeMismatchException',
    });
    const done = await confirmSignIn({ challengeResponse: totpNow(t, secret) });
    expect(done.isSignedIn).toBe(true);
  });

  it('signIn → CONFIRM_SIGN_IN_WITH_EMAIL_CODE → confirmSignIn with the mailed code', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'amplify-email');
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const first = await signIn({ username: email, password: poolPassword });
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await confirmSignIn({ challengeResponse: await t.lastCode(email, 'mfa') });
    expect(done.isSignedIn).toBe(true);
  });

  it('signIn → CONFIRM_SIGN_IN_WITH_SMS_CODE → confirmSignIn with the "SMS" from the dev mailbox', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true, sms: true });
    try {
      const email = await newUser(t, 'amplify-sms');
      const phone = '+15555550177';
      await preferSms(t, email, phone);
      const first = await signIn({ username: email, password: poolPassword });
      expect(first.nextStep).toMatchObject({
        signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
        codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0177' },
      });
      const done = await confirmSignIn({ challengeResponse: await t.lastCode(phone, 'sms') });
      expect(done.isSignedIn).toBe(true);
    } finally {
      await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    }
  });

  it('MFA ON: signIn → CONTINUE_SIGN_IN_WITH_TOTP_SETUP → confirmSignIn with a code from the shared secret', async () => {
    await setMfa(t, 'ON', { totp: true });
    try {
      const email = await newUser(t, 'amplify-setup');
      const first = await signIn({ username: email, password: poolPassword });
      expect(first.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
      const step = first.nextStep as {
        totpSetupDetails: { sharedSecret: string; getSetupUri(app: string): URL };
      };
      const secret = step.totpSetupDetails.sharedSecret;
      expect(step.totpSetupDetails.getSetupUri('app').toString()).toContain(secret);
      const done = await confirmSignIn({ challengeResponse: totpNow(t, secret) });
      expect(done.isSignedIn).toBe(true);
    } finally {
      await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    }
  });

  it('MFA ON with two factors: CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION → EMAIL → CONTINUE_SIGN_IN_WITH_EMAIL_SETUP → the mailed code', async () => {
    await setMfa(t, 'ON', { totp: true, email: true });
    try {
      const email = await newUser(t, 'amplify-email-setup');
      const first = await signIn({ username: email, password: poolPassword });
      expect(first.nextStep).toMatchObject({
        signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION',
        allowedMFATypes: ['TOTP', 'EMAIL'],
      });
      const chosen = await confirmSignIn({ challengeResponse: 'EMAIL' });
      expect(chosen.nextStep.signInStep).toBe('CONTINUE_SIGN_IN_WITH_EMAIL_SETUP');
      const sent = await confirmSignIn({ challengeResponse: email });
      expect(sent.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
      const done = await confirmSignIn({ challengeResponse: await t.lastCode(email, 'mfa') });
      expect(done.isSignedIn).toBe(true);
      expect(await fetchMFAPreference()).toMatchObject({ enabled: ['EMAIL'] });
    } finally {
      await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    }
  });

  it('two factors, none preferred: CONTINUE_SIGN_IN_WITH_MFA_SELECTION → TOTP → CONFIRM_SIGN_IN_WITH_TOTP_CODE', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'amplify-select');
    const { secret } = await enrolTotp(t, email);
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        EmailMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const first = await signIn({ username: email, password: poolPassword });
    expect(first.nextStep).toMatchObject({
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
      allowedMFATypes: ['TOTP', 'EMAIL'],
    });
    const chosen = await confirmSignIn({ challengeResponse: 'TOTP' });
    expect(chosen.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    const done = await confirmSignIn({ challengeResponse: totpNow(t, secret) });
    expect(done.isSignedIn).toBe(true);
  });

  it('setUpTOTP, verifyTOTPSetup, updateMFAPreference, fetchMFAPreference for a signed-in user', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'amplify-enrol');
    expect((await signIn({ username: email, password: poolPassword })).isSignedIn).toBe(true);
    const details = await setUpTOTP();
    await verifyTOTPSetup({ code: totpNow(t, details.sharedSecret) });
    await updateMFAPreference({ totp: 'PREFERRED' });
    expect(await fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
    await signOut();
    t.clock.advance(30_000);
    const again = await signIn({ username: email, password: poolPassword });
    expect(again.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  });
});

/** authenticateUser with every MFA callback routed to a promise. */
function libraryStep(email: string) {
  const pool = new CognitoUserPool({
    UserPoolId: t.idp.pool.poolId,
    ClientId: t.web.clientId,
    endpoint: t.idp.url,
  });
  const user = new CognitoUser({ Username: email, Pool: pool });
  return new Promise<{ user: CognitoUser; step: string; params?: unknown }>((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: poolPassword }), {
      onSuccess: () => resolve({ user, step: 'signed-in' }),
      onFailure: reject,
      totpRequired: (name, params) => resolve({ user, step: name, params }),
      mfaRequired: (name, params) => resolve({ user, step: name, params }),
      selectMFAType: (name, params) => resolve({ user, step: name, params }),
      mfaSetup: (name, params) => resolve({ user, step: name, params }),
    }),
  );
}

const sendCode = (user: CognitoUser, code: string, type: string) =>
  new Promise<CognitoUserSession>((resolve, reject) =>
    user.sendMFACode(code, { onSuccess: resolve, onFailure: reject }, type),
  );

describe('amazon-cognito-identity-js', () => {
  it('totpRequired after SRP, then sendMFACode(…, SOFTWARE_TOKEN_MFA) gets the session', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'library-totp');
    const { secret } = await enrolTotp(t, email);
    const { user, step } = await libraryStep(email);
    expect(step).toBe('SOFTWARE_TOKEN_MFA');
    await expect(sendCode(user, wrongCode(t, secret), 'SOFTWARE_TOKEN_MFA')).rejects.toMatchObject({
      code: 'CodeMismatchException',
    });
    const session = await sendCode(user, totpNow(t, secret), 'SOFTWARE_TOKEN_MFA');
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().payload.email).toBe(email);
  });

  it('mfaRequired for SMS_MFA, then sendMFACode with the "SMS" from the dev mailbox', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true, sms: true });
    try {
      const email = await newUser(t, 'library-sms');
      const phone = '+15555550178';
      await preferSms(t, email, phone);
      const { user, step, params } = await libraryStep(email);
      expect(step).toBe('SMS_MFA');
      expect(params).toEqual({
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******0178',
      });
      const session = await sendCode(user, await t.lastCode(phone, 'sms'), 'SMS_MFA');
      expect(session.isValid()).toBe(true);
    } finally {
      await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    }
  });

  it('mfaSetup with MFA ON: associateSoftwareToken and verifySoftwareToken with the session', async () => {
    await setMfa(t, 'ON', { totp: true });
    try {
      const email = await newUser(t, 'library-setup');
      const { user, step, params } = await libraryStep(email);
      expect(step).toBe('MFA_SETUP');
      expect(params).toEqual({ MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' });
      const secret = await new Promise<string>((resolve, reject) =>
        user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
      );
      const session = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.verifySoftwareToken(totpNow(t, secret), 'phone', { onSuccess: resolve, onFailure: reject }),
      );
      expect(session.isValid()).toBe(true);
    } finally {
      await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    }
  });
});
