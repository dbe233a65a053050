import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  answerDeviceChallenge,
  type DevicePool,
  devicePool,
  deviceUser,
  passwordSignIn,
  signInAndConfirm,
} from '../device-helpers.ts';
import { claimsOf } from '../helpers.ts';
import { setMfa, totpNow, turnOnTotp } from '../mfa-helpers.ts';
import { arnOf, type Event, startTriggerIdp, type TriggerIdp } from './harness.ts';

// PreTokenGeneration for a sign-in a remembered device ends (DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER),
// through the AWS SDK v3 with the device SRP of packages/cognito-srp.
let t: TriggerIdp;
let pool: DevicePool;
beforeAll(async () => {
  t = await startTriggerIdp();
  const DeviceConfiguration = {
    ChallengeRequiredOnNewDevice: false,
    DeviceOnlyRememberedOnUserPrompt: false,
  };
  pool = await devicePool(t, 'trigger-devices', DeviceConfiguration);
  await t.cognito.send(
    new sdk.UpdateUserPoolCommand({
      UserPoolId: pool.poolId,
      AutoVerifiedAttributes: ['email'],
      DeviceConfiguration,
      LambdaConfig: {
        PostAuthentication: arnOf('PostAuthentication'),
        PreTokenGenerationConfig: { LambdaArn: arnOf('PreTokenGeneration'), LambdaVersion: 'V2_0' },
      },
    }),
  );
  // The access token names the source the function saw, so the effect shows in the token too.
  t.on('PreTokenGeneration', (e: Event) => ({
    ...e,
    response: {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { claimsToAddOrOverride: { signed_in_by: e.triggerSource } },
      },
    },
  }));
});
afterAll(() => t.close());

it('a remembered device’s sign-in runs PreTokenGeneration as TokenGeneration_AuthenticateDevice; PostAuthentication’s newDeviceUsed tells the two apart', async () => {
  const email = await deviceUser(t, pool, 'trigger-device');
  const { device, tokens } = await signInAndConfirm(t, pool, email);
  expect(t.events.PreTokenGeneration.map((e) => e.triggerSource)).toEqual(['TokenGeneration_Authentication']);
  // The first sign-in came from no device the pool knows: it is the one that gets NewDeviceMetadata.
  expect(t.events.PostAuthentication.map((e) => e.request.newDeviceUsed)).toEqual([true]);
  expect(claimsOf(tokens.AccessToken!).signed_in_by).toBe('TokenGeneration_Authentication');

  const start = await passwordSignIn(t, pool, email, device.key);
  expect(start.ChallengeName).toBe('DEVICE_SRP_AUTH');
  const { done } = await answerDeviceChallenge(t, pool, start.Session!, email, device);
  const username = claimsOf(tokens.AccessToken!).username;
  expect(t.events.PreTokenGeneration).toHaveLength(2);
  expect(t.events.PreTokenGeneration[1]).toMatchObject({
    version: '2',
    triggerSource: 'TokenGeneration_AuthenticateDevice',
    userPoolId: pool.poolId,
    userName: username,
    callerContext: { clientId: pool.clientId },
    request: { userAttributes: { email }, scopes: ['aws.cognito.signin.user.admin'] },
  });
  const access = claimsOf(done.AuthenticationResult!.AccessToken!);
  expect(access.signed_in_by).toBe('TokenGeneration_AuthenticateDevice');
  expect(access.device_key).toBe(device.key);
  expect(t.events.PostAuthentication.map((e) => e.request.newDeviceUsed)).toEqual([true, false]);
});

it('MFA first, then the remembered device: TokenGeneration_AuthenticateDevice with the last step’s ClientMetadata', async () => {
  await setMfa(t, 'OPTIONAL', { totp: true }, pool.poolId);
  const email = await deviceUser(t, pool, 'trigger-device-mfa');
  const { device, tokens } = await signInAndConfirm(t, pool, email);
  const secret = await turnOnTotp(t, tokens.AccessToken!);
  const seen = t.events.PreTokenGeneration.length;
  // ChallengeRequiredOnNewDevice is off, so the remembered device does not stand in for TOTP: the
  // code comes first, then the device proves its secret.
  const start = await passwordSignIn(t, pool, email, device.key);
  expect(start.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  const afterMfa = await t.cognito.send(
    new sdk.RespondToAuthChallengeCommand({
      ClientId: pool.clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: start.Session!,
      ChallengeResponses: {
        USERNAME: email,
        SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret),
        DEVICE_KEY: device.key,
      },
      ClientMetadata: { step: 'mfa' },
    }),
  );
  expect(afterMfa.ChallengeName).toBe('DEVICE_SRP_AUTH');
  expect(t.events.PreTokenGeneration).toHaveLength(seen);
  const { done } = await answerDeviceChallenge(t, pool, afterMfa.Session!, email, device, undefined, {
    step: 'device',
  });
  expect(t.events.PreTokenGeneration).toHaveLength(seen + 1);
  // The sign-in ends with the device's authentication, so the source is the device's; the metadata is
  // DEVICE_PASSWORD_VERIFIER's own, not the MFA step's.
  expect(t.events.PreTokenGeneration[seen]).toMatchObject({
    triggerSource: 'TokenGeneration_AuthenticateDevice',
    request: { clientMetadata: { step: 'device' } },
  });
  const access = claimsOf(done.AuthenticationResult!.AccessToken!);
  expect(access.signed_in_by).toBe('TokenGeneration_AuthenticateDevice');
  expect(access.device_key).toBe(device.key);
});
