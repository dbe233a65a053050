import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerDeviceChallenge,
  type DevicePool,
  devicePool,
  deviceUser,
  passwordSignIn,
  signInAndConfirm,
} from './device-helpers.ts';
import { claimsOf, startTestIdp, type TestIdp } from './helpers.ts';
import { errorOf, setMfa, turnOnTotp } from './mfa-helpers.ts';

// Device tracking through the AWS SDK v3: NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER with the SRP of packages/cognito-srp, the device operations and their errors.
let t: TestIdp;
let prompt: DevicePool;
let always: DevicePool;
beforeAll(async () => {
  t = await startTestIdp();
  prompt = await devicePool(t, 'devices-prompt', {
    ChallengeRequiredOnNewDevice: true,
    DeviceOnlyRememberedOnUserPrompt: true,
  });
  always = await devicePool(t, 'devices-always', {
    ChallengeRequiredOnNewDevice: false,
    DeviceOnlyRememberedOnUserPrompt: false,
  });
});
afterAll(() => t.close());

const refresh = (pool: DevicePool, token: string, deviceKey?: string) =>
  t.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: token, ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}) },
    }),
  );

describe('device tracking', () => {
  it('DescribeUserPool returns the DeviceConfiguration; a pool without one hands out no device', async () => {
    const described = await t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: prompt.poolId }));
    expect(described.UserPool?.DeviceConfiguration).toEqual({
      ChallengeRequiredOnNewDevice: true,
      DeviceOnlyRememberedOnUserPrompt: true,
    });
    const plain = await devicePool(t, 'devices-none');
    const email = await deviceUser(t, plain);
    const signedIn = await passwordSignIn(t, plain, email);
    expect(signedIn.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(claimsOf(signedIn.AuthenticationResult!.AccessToken!).device_key).toBeUndefined();
  });

  it('NewDeviceMetadata → ConfirmDevice (user prompt) → remembered → DEVICE_SRP_AUTH sign-in', async () => {
    const email = await deviceUser(t, prompt);
    const { device, tokens, confirmed } = await signInAndConfirm(t, prompt, email, 'laptop');
    expect(device.key).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    expect(claimsOf(tokens.AccessToken!).device_key).toBe(device.key);
    expect(confirmed.UserConfirmationNecessary).toBe(true);

    const AccessToken = tokens.AccessToken!;
    const listed = await t.cognito.send(new sdk.ListDevicesCommand({ AccessToken }));
    expect(listed.Devices?.map((d) => d.DeviceKey)).toEqual([device.key]);
    const attrs = Object.fromEntries(listed.Devices![0]!.DeviceAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({
      device_name: 'laptop',
      'dev:device_remembered_status': 'not_remembered',
      last_ip_used: '127.0.0.1', // the address the sign-in came from
    });

    // Not remembered yet: the device key signs in with the password only, and no new device.
    const notYet = await passwordSignIn(t, prompt, email, device.key);
    expect(notYet.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(claimsOf(notYet.AuthenticationResult!.AccessToken!).device_key).toBe(device.key);

    await t.cognito.send(
      new sdk.UpdateDeviceStatusCommand({
        AccessToken,
        DeviceKey: device.key,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const got = await t.cognito.send(new sdk.GetDeviceCommand({ AccessToken, DeviceKey: device.key }));
    expect(got.Device?.DeviceAttributes).toContainEqual({
      Name: 'dev:device_remembered_status',
      Value: 'remembered',
    });

    const start = await passwordSignIn(t, prompt, email, device.key);
    expect(start.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const username = claimsOf(AccessToken).username as string;
    const { step, done } = await answerDeviceChallenge(t, prompt, start.Session!, email, device);
    expect(step.ChallengeName).toBe('DEVICE_PASSWORD_VERIFIER');
    expect(step.ChallengeParameters?.USERNAME).toBe(username);
    expect(done.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    expect(claimsOf(done.AuthenticationResult!.AccessToken!).device_key).toBe(device.key);

    const wrong = await passwordSignIn(t, prompt, email, device.key);
    const other = { ...device, secret: { ...device.secret, password: 'not the device secret' } };
    expect(await errorOf(answerDeviceChallenge(t, prompt, wrong.Session!, email, other))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });

  it('without a user prompt ConfirmDevice remembers the device at once', async () => {
    const email = await deviceUser(t, always);
    const { device, confirmed } = await signInAndConfirm(t, always, email);
    expect(confirmed.UserConfirmationNecessary).toBe(false);
    const start = await passwordSignIn(t, always, email, device.key);
    expect(start.ChallengeName).toBe('DEVICE_SRP_AUTH');
  });

  it('an unknown DEVICE_KEY is "Device does not exist."', async () => {
    const email = await deviceUser(t, prompt);
    expect(
      await errorOf(passwordSignIn(t, prompt, email, 'us-east-1_00000000-0000-4000-8000-000000000000')),
    ).toEqual({ name: 'ResourceNotFoundException', message: 'Device does not exist.' });
  });

  it('refreshing a session on a tracked device needs its DEVICE_KEY; ForgetDevice ends the session', async () => {
    const email = await deviceUser(t, always);
    const { device, tokens } = await signInAndConfirm(t, always, email);
    const token = tokens.RefreshToken!;
    expect(await errorOf(refresh(always, token))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    });
    // The token endpoint takes no device key: a device-bound session does not refresh there.
    const viaEndpoint = await fetch(`${t.idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: always.clientId,
        refresh_token: token,
      }),
    });
    expect([viaEndpoint.status, await viaEndpoint.json()]).toEqual([400, { error: 'invalid_grant' }]);
    const again = await refresh(always, token, device.key);
    expect(claimsOf(again.AuthenticationResult!.AccessToken!).device_key).toBe(device.key);
    const viaGetTokens = await t.cognito.send(
      new sdk.GetTokensFromRefreshTokenCommand({
        ClientId: always.clientId,
        RefreshToken: token,
        DeviceKey: device.key,
      }),
    );
    expect(viaGetTokens.AuthenticationResult?.AccessToken).toBeTruthy();

    // Forgotten from another sign-in (another browser): this device's session ends.
    const elsewhere = await passwordSignIn(t, always, email);
    const otherToken = elsewhere.AuthenticationResult!.AccessToken!;
    await t.cognito.send(new sdk.ForgetDeviceCommand({ AccessToken: otherToken, DeviceKey: device.key }));
    expect(await errorOf(refresh(always, token, device.key))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    expect(
      await errorOf(
        t.cognito.send(new sdk.GetDeviceCommand({ AccessToken: otherToken, DeviceKey: device.key })),
      ),
    ).toEqual({ name: 'ResourceNotFoundException', message: 'Device does not exist.' });
    expect(await errorOf(passwordSignIn(t, always, email, device.key))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('a remembered device stands in for MFA when ChallengeRequiredOnNewDevice is on', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true }, prompt.poolId);
    const email = await deviceUser(t, prompt, 'device-mfa');
    const { tokens, device } = await signInAndConfirm(t, prompt, email);
    const AccessToken = tokens.AccessToken!;
    await turnOnTotp(t, AccessToken);
    // Not remembered: TOTP is asked.
    expect((await passwordSignIn(t, prompt, email, device.key)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    await t.cognito.send(
      new sdk.UpdateDeviceStatusCommand({
        AccessToken,
        DeviceKey: device.key,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const start = await passwordSignIn(t, prompt, email, device.key);
    expect(start.ChallengeName).toBe('DEVICE_SRP_AUTH');
    const { done } = await answerDeviceChallenge(t, prompt, start.Session!, email, device);
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    // A new device still answers TOTP.
    expect((await passwordSignIn(t, prompt, email)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('Admin device operations, paging, and the validation errors', async () => {
    const email = await deviceUser(t, always);
    const first = await signInAndConfirm(t, always, email, 'one');
    t.clock.advance(1000);
    const second = await signInAndConfirm(t, always, email, 'two');
    const who = { UserPoolId: always.poolId, Username: email };
    const page1 = await t.cognito.send(new sdk.AdminListDevicesCommand({ ...who, Limit: 1 }));
    expect(page1.Devices?.map((d) => d.DeviceKey)).toEqual([first.device.key]);
    const page2 = await t.cognito.send(
      new sdk.AdminListDevicesCommand({ ...who, Limit: 1, PaginationToken: page1.PaginationToken }),
    );
    expect(page2.Devices?.map((d) => d.DeviceKey)).toEqual([second.device.key]);
    expect(page2.PaginationToken).toBeUndefined();

    await t.cognito.send(
      new sdk.AdminUpdateDeviceStatusCommand({
        ...who,
        DeviceKey: first.device.key,
        DeviceRememberedStatus: 'not_remembered',
      }),
    );
    const got = await t.cognito.send(new sdk.AdminGetDeviceCommand({ ...who, DeviceKey: first.device.key }));
    expect(got.Device?.DeviceAttributes).toContainEqual({
      Name: 'dev:device_remembered_status',
      Value: 'not_remembered',
    });
    await t.cognito.send(new sdk.AdminForgetDeviceCommand({ ...who, DeviceKey: second.device.key }));
    const left = await t.cognito.send(new sdk.AdminListDevicesCommand(who));
    expect(left.Devices?.map((d) => d.DeviceKey)).toEqual([first.device.key]);

    expect(
      await errorOf(t.cognito.send(new sdk.AdminGetDeviceCommand({ ...who, DeviceKey: 'nope' }))),
    ).toEqual({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'nope' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+",
    });
    expect(
      await errorOf(
        t.cognito.send(
          new sdk.AdminUpdateDeviceStatusCommand({
            ...who,
            DeviceKey: first.device.key,
            DeviceRememberedStatus: 'maybe' as sdk.DeviceRememberedStatusType,
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'maybe' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]",
    });
    expect(
      await errorOf(
        t.cognito.send(new sdk.AdminListDevicesCommand({ UserPoolId: always.poolId, Username: 'nobody' })),
      ),
    ).toEqual({ name: 'UserNotFoundException', message: 'User does not exist.' });
  });

  it('GlobalSignOut ends every session and keeps the devices', async () => {
    const email = await deviceUser(t, always);
    const { device, tokens } = await signInAndConfirm(t, always, email);
    await t.cognito.send(
      new sdk.AdminUserGlobalSignOutCommand({ UserPoolId: always.poolId, Username: email }),
    );
    expect(await errorOf(refresh(always, tokens.RefreshToken!, device.key))).toMatchObject({
      name: 'NotAuthorizedException',
    });
    const listed = await t.cognito.send(
      new sdk.AdminListDevicesCommand({ UserPoolId: always.poolId, Username: email }),
    );
    expect(listed.Devices?.map((d) => d.DeviceKey)).toEqual([device.key]);
  });
});
