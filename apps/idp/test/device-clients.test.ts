import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchDevices, forgetDevice, rememberDevice, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevicePool, devicePassword, devicePool, deviceUser } from './device-helpers.ts';
import { claimsOf, startTestIdp, type TestIdp } from './helpers.ts';
import { setMfa, totpNow, turnOnTotp } from './mfa-helpers.ts';

// Remembered devices through the browser libraries, unchanged: amazon-cognito-identity-js
// (ConfirmDevice after sign-in, setDeviceStatusRemembered, getDeviceResponse) and aws-amplify v6
// (rememberDevice, fetchDevices, forgetDevice, handleDeviceSRPAuth). The pool asks TOTP of users
// who have it and lets a remembered device stand in for it, so a sign-in that needs no code proves
// the device authenticated.
let t: TestIdp;
let pool: DevicePool;
const storage = new Map<string, string>();
beforeAll(async () => {
  // Amplify names the device from navigator.userAgent, which browsers (and Node 21+) have; Node 20 has
  // no navigator, so Amplify would skip ConfirmDevice. Give it the one a browser would.
  if (!('navigator' in globalThis))
    Object.defineProperty(globalThis, 'navigator', {
      value: { userAgent: 'vitest on Node' },
      configurable: true,
    });
  t = await startTestIdp();
  pool = await devicePool(t, 'device-clients', {
    ChallengeRequiredOnNewDevice: true,
    DeviceOnlyRememberedOnUserPrompt: true,
  });
  await setMfa(t, 'OPTIONAL', { totp: true }, pool.poolId);
  Amplify.configure({
    Auth: {
      Cognito: { userPoolId: pool.poolId, userPoolClientId: pool.clientId, userPoolEndpoint: t.idp.url },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (k, v) => void storage.set(k, v),
    getItem: async (k) => storage.get(k) ?? null,
    removeItem: async (k) => void storage.delete(k),
    clear: async () => storage.clear(),
  });
});
afterAll(() => t.close());

const libraryPool = () =>
  new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: t.idp.url });

/** authenticateUser; resolves with the session (and userConfirmationNecessary) or the MFA step asked. */
function libraryAuthenticate(email: string) {
  const user = new CognitoUser({ Username: email, Pool: libraryPool() });
  return new Promise<{ user: CognitoUser; session?: CognitoUserSession; confirm?: boolean; step?: string }>(
    (resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: email, Password: devicePassword }), {
        onSuccess: (session, confirm) => resolve({ user, session, confirm }),
        onFailure: reject,
        totpRequired: (step) => resolve({ user, step }),
      }),
  );
}

const callback = <T>(run: (cb: { onSuccess: (v: T) => void; onFailure: (e: Error) => void }) => void) =>
  new Promise<T>((resolve, reject) => run({ onSuccess: resolve, onFailure: reject }));

describe('amazon-cognito-identity-js', () => {
  it('confirms the device after sign-in, setDeviceStatusRemembered, then signs in with the device', async () => {
    const email = await deviceUser(t, pool, 'library-device');
    const first = await libraryAuthenticate(email);
    expect(first.confirm).toBe(true);
    const deviceKey = claimsOf(first.session!.getAccessToken().getJwtToken()).device_key as string;
    expect(deviceKey).toMatch(/^us-east-1_/);
    await turnOnTotp(t, first.session!.getAccessToken().getJwtToken());

    // Not remembered yet: TOTP is asked.
    expect((await libraryAuthenticate(email)).step).toBe('SOFTWARE_TOKEN_MFA');
    await callback<string>((cb) => first.user.setDeviceStatusRemembered(cb));

    const again = await libraryAuthenticate(email);
    expect(again.step).toBeUndefined();
    expect(claimsOf(again.session!.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);
    // The library refreshes with its DEVICE_KEY.
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      again.user.refreshSession(again.session!.getRefreshToken(), (err, s) =>
        err ? reject(err) : resolve(s),
      ),
    );
    expect(claimsOf(refreshed.getAccessToken().getJwtToken()).device_key).toBe(deviceKey);

    const listed = await new Promise<{ Devices: Array<{ DeviceKey: string }> }>((resolve, reject) =>
      again.user.listDevices(10, null, { onSuccess: resolve as (v: unknown) => void, onFailure: reject }),
    );
    expect(listed.Devices.map((d) => d.DeviceKey)).toEqual([deviceKey]);

    // Forgotten: the next sign-in gets "Device does not exist.", drops the key, retries and asks TOTP.
    await callback<string>((cb) => again.user.forgetDevice(cb));
    expect((await libraryAuthenticate(email)).step).toBe('SOFTWARE_TOKEN_MFA');
  });
});

describe('aws-amplify v6', () => {
  it('rememberDevice after a TOTP sign-in; the next sign-in needs no code; fetchDevices, forgetDevice', async () => {
    const email = await deviceUser(t, pool, 'amplify-device');
    const setup = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: pool.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: devicePassword },
      }),
    );
    const secret = await turnOnTotp(t, setup.AuthenticationResult!.AccessToken!);

    const first = await signIn({ username: email, password: devicePassword });
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    expect((await confirmSignIn({ challengeResponse: totpNow(t, secret) })).isSignedIn).toBe(true);
    await rememberDevice();
    const devices = await fetchDevices();
    expect(devices).toHaveLength(1);
    await signOut();

    t.clock.advance(30_000);
    const again = await signIn({ username: email, password: devicePassword });
    expect(again.isSignedIn).toBe(true);
    expect(again.nextStep.signInStep).toBe('DONE');
    expect((await fetchDevices()).map((d) => d.id)).toEqual(devices.map((d) => d.id));

    // Forgetting the device also ends the sessions signed in on it (ADR 0165), this one included.
    await forgetDevice();
    await expect(fetchDevices()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const left = await t.cognito.send(
      new sdk.AdminListDevicesCommand({ UserPoolId: pool.poolId, Username: email }),
    );
    expect(left.Devices).toEqual([]);
    await signOut().catch(() => {});
  });
});
