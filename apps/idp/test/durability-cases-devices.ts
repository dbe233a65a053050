/** Durability cases for the device operations: each change is on disk when the answer arrives. */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { devicePool, deviceUser, signInAndConfirm } from './device-helpers.ts';
import type { Case } from './durability-steps.ts';
import { errorName, unique } from './durability-steps.ts';

/** A user of a device-tracking pool with one confirmed (not yet remembered) device. */
async function tracked(x: Parameters<Case>[0]) {
  const pool = await devicePool(x, unique('durable-devices'), { DeviceOnlyRememberedOnUserPrompt: true });
  const email = await deviceUser(x, pool);
  const { device, tokens } = await signInAndConfirm(x, pool, email);
  const who = { UserPoolId: pool.poolId, Username: email, DeviceKey: device.key };
  return { who, AccessToken: tokens.AccessToken! };
}
const statusOf = async (
  y: Parameters<Case>[0],
  who: { UserPoolId: string; Username: string; DeviceKey: string },
) =>
  (await y.cognito.send(new sdk.AdminGetDeviceCommand(who))).Device!.DeviceAttributes!.find(
    (a) => a.Name === 'dev:device_remembered_status',
  )!.Value;

export const deviceCases: Record<string, Case> = {
  async ConfirmDevice(x) {
    const { who } = await tracked(x);
    return async (y) => expect(await statusOf(y, who)).toBe('not_remembered');
  },
  async UpdateDeviceStatus(x) {
    const { who, AccessToken } = await tracked(x);
    await x.cognito.send(
      new sdk.UpdateDeviceStatusCommand({
        AccessToken,
        DeviceKey: who.DeviceKey,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    return async (y) => expect(await statusOf(y, who)).toBe('remembered');
  },
  async AdminUpdateDeviceStatus(x) {
    const { who } = await tracked(x);
    await x.cognito.send(
      new sdk.AdminUpdateDeviceStatusCommand({ ...who, DeviceRememberedStatus: 'remembered' }),
    );
    return async (y) => expect(await statusOf(y, who)).toBe('remembered');
  },
  async ForgetDevice(x) {
    const { who, AccessToken } = await tracked(x);
    await x.cognito.send(new sdk.ForgetDeviceCommand({ AccessToken, DeviceKey: who.DeviceKey }));
    return async (y) =>
      expect(await errorName(y.cognito.send(new sdk.AdminGetDeviceCommand(who)))).toBe(
        'ResourceNotFoundException',
      );
  },
  async AdminForgetDevice(x) {
    const { who } = await tracked(x);
    await x.cognito.send(new sdk.AdminForgetDeviceCommand(who));
    return async (y) =>
      expect(await errorName(y.cognito.send(new sdk.AdminGetDeviceCommand(who)))).toBe(
        'ResourceNotFoundException',
      );
  },
};
