import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { requestInfo } from '../events/request-context.ts';
import { opaque } from '../ids.ts';
import { resourceNotFound } from '../protocol/errors.ts';
import { type Dict, dict } from '../store/dict.ts';
import type { DeviceRecord, PoolRecord, UserRecord } from '../store/state.ts';
import { epoch } from '../users/shape.ts';

/**
 * Device tracking as Cognito does it when the pool has a DeviceConfiguration: every sign-in without a
 * known DEVICE_KEY hands out NewDeviceMetadata; ConfirmDevice stores the device's SRP verifier (the
 * device is then tracked and listed); a remembered device signs in with DEVICE_SRP_AUTH and, with
 * ChallengeRequiredOnNewDevice, skips MFA. ADR 0165 says what we chose where Cognito's docs are silent.
 */

/** A sign-in on `device` now, from the address of the request being answered. The caller commits. */
export function noteDeviceSignIn(ctx: Ctx, device: DeviceRecord) {
  device.lastAuthenticatedAt = ctx.clock();
  const ip = requestInfo().ipAddress;
  if (ip) device.lastIpUsed = ip;
}

/** Unconfirmed devices (NewDeviceMetadata never followed by ConfirmDevice) kept per user. */
const keepUnconfirmed = 5;

export const tracksDevices = (pool: PoolRecord) => pool.settings?.DeviceConfiguration !== undefined;

/** A device that skips MFA when remembered (ChallengeRequiredOnNewDevice). */
export const rememberedSkipsMfa = (pool: PoolRecord) =>
  pool.settings?.DeviceConfiguration?.ChallengeRequiredOnNewDevice === true;

const devicesOf = (user: UserRecord): Dict<DeviceRecord> => {
  user.devices ??= dict();
  return user.devices;
};

/** Cognito's wording when a DeviceKey names no device of this user (the client libraries match on it). */
export const noSuchDevice = () => resourceNotFound('Device does not exist.');

/** A confirmed device of the user, or Cognito's ResourceNotFoundException. */
export function trackedDevice(user: UserRecord, deviceKey: string): DeviceRecord {
  const device = user.devices?.[deviceKey];
  if (!device?.srp) throw noSuchDevice();
  return device;
}

/**
 * The device a sign-in names with DEVICE_KEY: undefined when the pool tracks no devices or none was
 * named; a named device the user does not have (or that was forgotten) is Cognito's "Device does not
 * exist.", on which amazon-cognito-identity-js drops its stored key and retries.
 */
export function signInDevice(pool: PoolRecord, user: UserRecord, deviceKey?: string) {
  if (!tracksDevices(pool) || !deviceKey) return undefined;
  return trackedDevice(user, deviceKey);
}

/** NewDeviceMetadata for a sign-in on a device the pool does not know yet. The caller commits. */
export function newDevice(ctx: Ctx, pool: PoolRecord, user: UserRecord) {
  const devices = devicesOf(user);
  const now = ctx.clock();
  const device: DeviceRecord = {
    deviceKey: `${pool.region}_${randomUUID()}`,
    deviceGroupKey: `-${opaque(9).replace(/[^A-Za-z0-9]/g, 'x')}`,
    remembered: false,
    createdAt: now,
    modifiedAt: now,
    lastAuthenticatedAt: now,
  };
  noteDeviceSignIn(ctx, device);
  devices[device.deviceKey] = device;
  const unconfirmed = Object.values(devices)
    .filter((d) => !d.srp)
    .sort((a, b) => b.createdAt - a.createdAt);
  for (const old of unconfirmed.slice(keepUnconfirmed)) delete devices[old.deviceKey];
  return { DeviceKey: device.deviceKey, DeviceGroupKey: device.deviceGroupKey };
}

/** The confirmed devices of a user, oldest first (ListDevices, AdminListDevices). */
export const listedDevices = (user: UserRecord) =>
  Object.values(user.devices ?? {})
    .filter((d) => d.srp)
    .sort((a, b) => a.createdAt - b.createdAt || (a.deviceKey < b.deviceKey ? -1 : 1));

/** Removes a device and ends the sessions signed in on it (ForgetDevice, AdminForgetDevice). */
export function forget(ctx: Ctx, pool: PoolRecord, user: UserRecord, device: DeviceRecord) {
  delete devicesOf(user)[device.deviceKey];
  const now = ctx.clock();
  for (const s of Object.values(ctx.store.state.sessions))
    if (s.poolId === pool.id && s.username === user.username && s.deviceKey === device.deviceKey)
      s.revokedAt ??= now;
}

/** DeviceType as GetDevice and ListDevices return it. */
export function deviceType(device: DeviceRecord) {
  return {
    DeviceKey: device.deviceKey,
    DeviceAttributes: [
      { Name: 'device_status', Value: 'valid' },
      ...(device.name ? [{ Name: 'device_name', Value: device.name }] : []),
      ...(device.lastIpUsed ? [{ Name: 'last_ip_used', Value: device.lastIpUsed }] : []),
      { Name: 'dev:device_remembered_status', Value: device.remembered ? 'remembered' : 'not_remembered' },
    ],
    DeviceCreateDate: epoch(device.createdAt),
    DeviceLastModifiedDate: epoch(device.modifiedAt),
    DeviceLastAuthenticatedDate: epoch(device.lastAuthenticatedAt),
  };
}
