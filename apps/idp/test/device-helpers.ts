/** Shared steps for the device tests: a pool that tracks devices, its users, and the device sign-in. */
import {
  computeDeviceClaim,
  createDeviceSecret,
  type DeviceSecret,
  startClientSession,
} from '@app/cognito-srp';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { TestIdp } from './helpers.ts';
import { newUser } from './mfa-helpers.ts';

/** Meets a new pool's default policy (upper, lower, digit, symbol). */
export const devicePassword = 'Correct-horse-9-battery';

export interface DevicePool {
  poolId: string;
  clientId: string;
}

/** A pool of its own with this DeviceConfiguration and a public client (SRP, password, refresh). */
export async function devicePool(
  t: TestIdp,
  name: string,
  DeviceConfiguration?: sdk.DeviceConfigurationType,
): Promise<DevicePool> {
  const pool = await t.cognito.send(
    new sdk.CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Schema: [{ Name: 'email', Required: true }],
      ...(DeviceConfiguration ? { DeviceConfiguration } : {}),
    }),
  );
  const poolId = pool.UserPool!.Id!;
  const client = await t.cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: name,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return { poolId, clientId: client.UserPoolClient!.ClientId! };
}

/** A confirmed user with the shared password. */
export const deviceUser = (t: TestIdp, pool: DevicePool, tag = 'device') =>
  newUser(t, tag, pool.poolId, devicePassword);

export const passwordSignIn = (t: TestIdp, pool: DevicePool, email: string, deviceKey?: string) =>
  t.cognito.send(
    new sdk.InitiateAuthCommand({
      ClientId: pool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: email,
        PASSWORD: devicePassword,
        ...(deviceKey ? { DEVICE_KEY: deviceKey } : {}),
      },
    }),
  );

/** What an app keeps about its device after ConfirmDevice. */
export interface KeptDevice {
  key: string;
  groupKey: string;
  secret: DeviceSecret;
}

/** Signs in without a device, confirms the NewDeviceMetadata it got; returns the device and the tokens. */
export async function signInAndConfirm(t: TestIdp, pool: DevicePool, email: string, name = 'test device') {
  const first = await passwordSignIn(t, pool, email);
  const result = first.AuthenticationResult!;
  const meta = result.NewDeviceMetadata!;
  const secret = createDeviceSecret({ deviceGroupKey: meta.DeviceGroupKey!, deviceKey: meta.DeviceKey! });
  const confirmed = await t.cognito.send(
    new sdk.ConfirmDeviceCommand({
      AccessToken: result.AccessToken!,
      DeviceKey: meta.DeviceKey!,
      DeviceName: name,
      DeviceSecretVerifierConfig: secret.config,
    }),
  );
  const device: KeptDevice = { key: meta.DeviceKey!, groupKey: meta.DeviceGroupKey!, secret };
  return { device, tokens: result, confirmed };
}

/** DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER with the device's secret (or another password). */
export async function answerDeviceChallenge(
  t: TestIdp,
  pool: DevicePool,
  session: string,
  username: string,
  device: KeptDevice,
  password = device.secret.password,
  /** DEVICE_PASSWORD_VERIFIER's ClientMetadata. */
  ClientMetadata?: Record<string, string>,
) {
  const client = startClientSession();
  const step = await t.cognito.send(
    new sdk.RespondToAuthChallengeCommand({
      ClientId: pool.clientId,
      ChallengeName: 'DEVICE_SRP_AUTH',
      Session: session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.key, SRP_A: client.A },
    }),
  );
  const p = step.ChallengeParameters!;
  const claim = computeDeviceClaim({
    deviceGroupKey: device.groupKey,
    deviceKey: device.key,
    password,
    saltHex: p.SALT!,
    srpBHex: p.SRP_B!,
    secretBlockB64: p.SECRET_BLOCK!,
    session: client,
  });
  return {
    step,
    done: await t.cognito.send(
      new sdk.RespondToAuthChallengeCommand({
        ClientId: pool.clientId,
        ChallengeName: 'DEVICE_PASSWORD_VERIFIER',
        Session: step.Session!,
        ...(ClientMetadata ? { ClientMetadata } : {}),
        ChallengeResponses: {
          USERNAME: p.USERNAME!,
          DEVICE_KEY: device.key,
          PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK!,
          PASSWORD_CLAIM_SIGNATURE: claim.signatureB64,
          TIMESTAMP: claim.timestamp,
        },
      }),
    ),
  };
}
