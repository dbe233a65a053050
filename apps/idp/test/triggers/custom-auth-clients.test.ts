import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setMfa, totpNow, turnOnTotp } from '../mfa-helpers.ts';
import {
  confirmedUser,
  type Event,
  errorOf,
  password,
  startTriggerIdp,
  type TriggerIdp,
  verifyPrivateAnswer,
} from './harness.ts';

// CUSTOM_WITH_SRP as the clients run it: InitiateAuth CUSTOM_AUTH with CHALLENGE_NAME SRP_A and SRP_A,
// Define asks for PASSWORD_VERIFIER (Cognito's own SRP step), then a custom challenge (Cognito's
// documented Define example).
let t: TriggerIdp;
const storage = new Map<string, string>();
beforeAll(async () => {
  t = await startTriggerIdp();
  Amplify.configure({
    Auth: { Cognito: { userPoolId: t.poolId, userPoolClientId: t.clientId, userPoolEndpoint: t.idp.url } },
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
beforeEach(async () => {
  t.reset();
  await t.configure(['DefineAuthChallenge', 'CreateAuthChallenge', 'VerifyAuthChallengeResponse']);
  t.on('DefineAuthChallenge', (e: Event) => {
    const s = e.request.session as Array<{ challengeName: string; challengeResult: boolean }>;
    const response =
      s.length === 1 && s[0]!.challengeName === 'SRP_A'
        ? { challengeName: 'PASSWORD_VERIFIER', issueTokens: false, failAuthentication: false }
        : s.length === 2 && s[1]!.challengeName === 'PASSWORD_VERIFIER' && s[1]!.challengeResult
          ? { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false }
          : s.length === 3 && s[2]!.challengeName === 'CUSTOM_CHALLENGE' && s[2]!.challengeResult
            ? { issueTokens: true, failAuthentication: false }
            : { issueTokens: false, failAuthentication: true };
    return { ...e, response };
  });
  t.on('CreateAuthChallenge', (e: Event) => ({
    ...e,
    response: {
      publicChallengeParameters: { question: 'captcha' },
      privateChallengeParameters: { answer: 'seven' },
      challengeMetadata: 'CAPTCHA',
    },
  }));
  t.on('VerifyAuthChallengeResponse', verifyPrivateAnswer);
});

const user = () => confirmedUser(t, 'srpcustom');

const sessions = () =>
  t.events.DefineAuthChallenge.map((e) =>
    (e.request.session as Array<{ challengeName: string; challengeResult: boolean }>).map(
      (s) => `${s.challengeName}:${s.challengeResult}`,
    ),
  );

describe('CUSTOM_WITH_SRP: aws-amplify v6', () => {
  it('signIn → PASSWORD_VERIFIER inside → CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE → confirmSignIn → signed in', async () => {
    const email = await user();
    const first = await signIn({ username: email, password, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    expect(first.nextStep).toEqual({
      signInStep: 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE',
      additionalInfo: { question: 'captcha', USERNAME: expect.any(String) },
    });
    const done = await confirmSignIn({ challengeResponse: 'seven' });
    expect(done.isSignedIn).toBe(true);
    expect((await fetchAuthSession()).tokens?.idToken?.payload.email).toBe(email);
    expect(sessions()).toEqual([
      ['SRP_A:true'],
      ['SRP_A:true', 'PASSWORD_VERIFIER:true'],
      ['SRP_A:true', 'PASSWORD_VERIFIER:true', 'CUSTOM_CHALLENGE:true'],
    ]);
    expect(t.events.DefineAuthChallenge[0]).toMatchObject({
      triggerSource: 'DefineAuthChallenge_Authentication',
      request: { userNotFound: false, userAttributes: { email } },
    });
    expect(t.events.CreateAuthChallenge).toHaveLength(1);
  });

  it('a user with TOTP: Cognito asks the code after PASSWORD_VERIFIER, then Define hears it and the loop goes on', async () => {
    const email = await user();
    const first = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    await setMfa(t, 'OPTIONAL', { totp: true }, t.poolId);
    try {
      const secret = await turnOnTotp(t, first.AuthenticationResult!.AccessToken!);
      // Define's documented sequence with the MFA step in it: after the code, a custom challenge.
      t.on('DefineAuthChallenge', (e: Event) => {
        const last = (e.request.session as Array<{ challengeName: string; challengeResult: boolean }>).at(
          -1,
        )!;
        const next: Record<string, object> = {
          SRP_A: { challengeName: 'PASSWORD_VERIFIER' },
          SOFTWARE_TOKEN_MFA: { challengeName: 'CUSTOM_CHALLENGE' },
          CUSTOM_CHALLENGE: { issueTokens: last.challengeResult },
        };
        return {
          ...e,
          response: { issueTokens: false, failAuthentication: false, ...next[last.challengeName] },
        };
      });
      const started = await signIn({
        username: email,
        password,
        options: { authFlowType: 'CUSTOM_WITH_SRP' },
      });
      expect(started.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
      // Define was not asked between the password and the code.
      expect(sessions()).toEqual([['SRP_A:true']]);
      const custom = await confirmSignIn({ challengeResponse: totpNow(t, secret) });
      expect(custom.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
      expect(sessions()[1]).toEqual(['SRP_A:true', 'PASSWORD_VERIFIER:true', 'SOFTWARE_TOKEN_MFA:true']);
      const done = await confirmSignIn({ challengeResponse: 'seven' });
      expect(done.isSignedIn).toBe(true);
      expect((await fetchAuthSession()).tokens?.idToken?.payload.email).toBe(email);
      expect(sessions().at(-1)).toEqual([
        'SRP_A:true',
        'PASSWORD_VERIFIER:true',
        'SOFTWARE_TOKEN_MFA:true',
        'CUSTOM_CHALLENGE:true',
      ]);
    } finally {
      await setMfa(t, 'OFF', {}, t.poolId);
    }
  });

  it('a wrong password ends it at PASSWORD_VERIFIER: NotAuthorizedException, no custom challenge', async () => {
    const email = await user();
    const err = await errorOf(
      signIn({ username: email, password: 'Wrong-passw0rd', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
    );
    expect(err?.name).toBe('NotAuthorizedException');
    expect(sessions()).toEqual([['SRP_A:true']]);
    expect(t.events.CreateAuthChallenge).toHaveLength(0);
  });
});

describe('CUSTOM_WITH_SRP: amazon-cognito-identity-js', () => {
  it('authenticateUser with the CUSTOM_AUTH flow type → customChallenge → sendCustomChallengeAnswer → session', async () => {
    const email = await user();
    const pool = new CognitoUserPool({ UserPoolId: t.poolId, ClientId: t.clientId, endpoint: t.idp.url });
    const cognitoUser = new CognitoUser({ Username: email, Pool: pool });
    cognitoUser.setAuthenticationFlowType('CUSTOM_AUTH');
    const session = await new Promise<CognitoUserSession>((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        customChallenge(params: Record<string, string>) {
          if (params.question !== 'captcha')
            reject(new Error(`unexpected challenge ${JSON.stringify(params)}`));
          cognitoUser.sendCustomChallengeAnswer('seven', callbacks);
        },
      };
      cognitoUser.authenticateUser(
        new AuthenticationDetails({ Username: email, Password: password }),
        callbacks,
      );
    });
    expect(session.getIdToken().payload.email).toBe(email);
    expect(sessions().at(-1)).toEqual(['SRP_A:true', 'PASSWORD_VERIFIER:true', 'CUSTOM_CHALLENGE:true']);
  });
});
