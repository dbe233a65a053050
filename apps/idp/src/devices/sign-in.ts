import type { Ctx } from '../context.ts';
import { notAuthorized } from '../protocol/errors.ts';
import type { DeviceRecord, PoolRecord, SessionRecord, UserRecord } from '../store/state.ts';
import { findUser } from '../users/lookup.ts';
import { newDevice, noSuchDevice, noteDeviceSignIn, tracksDevices } from './devices.ts';

/**
 * Before a PASSWORD_VERIFIER answer is checked (and its single-use challenge spent): a DEVICE_KEY the
 * user does not have is "Device does not exist.", so amazon-cognito-identity-js can drop its stored
 * key and send the same answer again without one.
 */
export function refuseUnknownDevice(pool: PoolRecord, responses: Record<string, string>) {
  const key = responses.DEVICE_KEY;
  if (!key || !tracksDevices(pool)) return;
  const user = findUser(pool, responses.USERNAME ?? '');
  if (user && !user.devices?.[key]?.srp) throw noSuchDevice();
}

/**
 * The device side of a new session: the tracked device it signed in on (its last sign-in noted), or,
 * when the pool tracks devices and none was named, a new device as NewDeviceMetadata. The caller commits.
 */
export function deviceForSession(ctx: Ctx, pool: PoolRecord, user: UserRecord, device?: DeviceRecord) {
  if (device) {
    noteDeviceSignIn(ctx, device);
    return { deviceKey: device.deviceKey };
  }
  if (!tracksDevices(pool)) return {};
  const metadata = newDevice(ctx, pool, user);
  return { deviceKey: metadata.DeviceKey, NewDeviceMetadata: metadata };
}

/**
 * A refresh of a session that signed in on a tracked device must name that device (DEVICE_KEY or
 * DeviceKey), as with Cognito; sessions whose device was never confirmed refresh without one.
 */
export function checkRefreshDevice(pool: PoolRecord, session: SessionRecord, deviceKey: string | undefined) {
  if (!session.deviceKey || deviceKey === session.deviceKey) return;
  const tracked = pool.users[session.username]?.devices?.[session.deviceKey]?.srp;
  if (tracked) throw notAuthorized('Invalid Refresh Token');
}
