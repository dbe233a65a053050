import { readDeviceVerifierConfig, SrpError } from '@app/cognito-srp';
import type { Ctx } from '../context.ts';
import {
  deviceType,
  forget,
  listedDevices,
  noSuchDevice,
  trackedDevice,
  tracksDevices,
} from '../devices/devices.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { adminUser, poolById } from '../users/lookup.ts';
import { paginate } from './paging.ts';

const validation = (member: string, value: string, constraint: string) =>
  invalidParameter(
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

/** DeviceKey as the model constrains it: 1–55 characters matching [\w-]+_[0-9a-f-]+. */
function deviceKeyOf(input: Input): string {
  const key = str(input, 'DeviceKey');
  if (key.length > 55) throw validation('deviceKey', key, 'Member must have length less than or equal to 55');
  if (!/^[\w-]+_[0-9a-f-]+$/.test(key))
    throw validation('deviceKey', key, 'Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+');
  return key;
}

function rememberedStatusOf(input: Input): boolean | undefined {
  const status = optStr(input, 'DeviceRememberedStatus');
  if (status === undefined) return undefined;
  if (status !== 'remembered' && status !== 'not_remembered')
    throw validation(
      'deviceRememberedStatus',
      status,
      'Member must satisfy enum value set: [remembered, not_remembered]',
    );
  return status === 'remembered';
}

/** Limit and PaginationToken, read before anything is looked up (Cognito checks the request first). */
function listRequest(input: Input) {
  return { limit: optInt(input, 'Limit', 0, 60) || 60, token: optStr(input, 'PaginationToken') };
}

function listDevices(user: UserRecord, { limit, token }: ReturnType<typeof listRequest>) {
  const { page, next } = paginate(
    listedDevices(user),
    (d) => `${String(d.createdAt).padStart(15, '0')}|${d.deviceKey}`,
    limit,
    token,
  );
  return { Devices: page.map(deviceType), ...(next ? { PaginationToken: next } : {}) };
}

/** DeviceKey and DeviceRememberedStatus, checked before the token or user is (as Cognito does). */
const statusRequest = (input: Input) => ({ key: deviceKeyOf(input), remembered: rememberedStatusOf(input) });

async function updateStatus(
  ctx: Ctx,
  user: UserRecord,
  { key, remembered }: ReturnType<typeof statusRequest>,
) {
  const device = trackedDevice(user, key);
  if (remembered !== undefined && remembered !== device.remembered) {
    device.remembered = remembered;
    device.modifiedAt = ctx.clock();
    await ctx.store.commit();
  }
  return {};
}

async function forgetDevice(ctx: Ctx, pool: PoolRecord, user: UserRecord, key: string) {
  forget(ctx, pool, user, trackedDevice(user, key));
  await ctx.store.commit();
  return {};
}

function adminTarget(ctx: Ctx, input: Input) {
  const pool = poolById(ctx, str(input, 'UserPoolId'));
  return { pool, user: adminUser(pool, str(input, 'Username')) };
}

export const deviceOperations = {
  /**
   * Starts tracking the device a sign-in's NewDeviceMetadata named, with the verifier of its secret.
   * With DeviceOnlyRememberedOnUserPrompt the user chooses (UpdateDeviceStatus) and the answer says
   * so; otherwise the device is remembered at once.
   */
  async ConfirmDevice(ctx: Ctx, input: Input) {
    const key = deviceKeyOf(input);
    const name = optStr(input, 'DeviceName');
    if (name !== undefined && (name.length < 1 || name.length > 1024))
      throw validation('deviceName', name, 'Member must have length between 1 and 1024');
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    const device = user.devices?.[key];
    if (!device || !tracksDevices(pool)) throw noSuchDevice();
    const config = input.DeviceSecretVerifierConfig;
    if (!config || typeof config !== 'object')
      throw invalidParameter('DeviceSecretVerifierConfig is required to confirm a device.');
    try {
      device.srp = readDeviceVerifierConfig(config as Record<string, unknown>);
    } catch (err) {
      if (err instanceof SrpError) throw invalidParameter(`DeviceSecretVerifierConfig: ${err.message}`);
      throw err;
    }
    const prompt = pool.settings?.DeviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
    if (name !== undefined) device.name = name;
    device.remembered = !prompt;
    device.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return { UserConfirmationNecessary: prompt };
  },

  GetDevice(ctx: Ctx, input: Input) {
    const key = deviceKeyOf(input);
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return { Device: deviceType(trackedDevice(user, key)) };
  },

  ListDevices(ctx: Ctx, input: Input) {
    const request = listRequest(input);
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return listDevices(user, request);
  },

  /** Forgets the device and ends the sessions signed in on it (how one signs out another device). */
  ForgetDevice(ctx: Ctx, input: Input) {
    const key = deviceKeyOf(input);
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return forgetDevice(ctx, pool, user, key);
  },

  UpdateDeviceStatus(ctx: Ctx, input: Input) {
    const request = statusRequest(input);
    const { user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    return updateStatus(ctx, user, request);
  },

  AdminGetDevice(ctx: Ctx, input: Input) {
    const key = deviceKeyOf(input);
    return { Device: deviceType(trackedDevice(adminTarget(ctx, input).user, key)) };
  },

  AdminListDevices(ctx: Ctx, input: Input) {
    const request = listRequest(input);
    return listDevices(adminTarget(ctx, input).user, request);
  },

  AdminForgetDevice(ctx: Ctx, input: Input) {
    const key = deviceKeyOf(input);
    const { pool, user } = adminTarget(ctx, input);
    return forgetDevice(ctx, pool, user, key);
  },

  AdminUpdateDeviceStatus(ctx: Ctx, input: Input) {
    const request = statusRequest(input);
    return updateStatus(ctx, adminTarget(ctx, input).user, request);
  },
};
