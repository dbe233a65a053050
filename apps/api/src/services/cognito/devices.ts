import type { Device } from '@app/api-contract';
import {
  type CognitoIdentityProviderClient,
  type DeviceType,
  ForgetDeviceCommand,
  ListDevicesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { notFound, unauthorized } from '../../errors.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

function toDevice(d: DeviceType, currentKey: string | undefined): Device {
  const attrs = new Map((d.DeviceAttributes ?? []).map((a) => [a.Name, a.Value]));
  return {
    device_key: d.DeviceKey ?? '',
    name: attrs.get('device_name') ?? null,
    remembered: attrs.get('dev:device_remembered_status') === 'remembered',
    created_at: iso(d.DeviceCreateDate) ?? new Date(0).toISOString(),
    last_signed_in_at: iso(d.DeviceLastAuthenticatedDate),
    current: d.DeviceKey !== undefined && d.DeviceKey === currentKey,
  };
}

/** The IdP refusing the token (its session ended there, e.g. this device was forgotten) is a 401. */
const mapped = (err: unknown) =>
  isCognitoError(err, 'NotAuthorizedException')
    ? unauthorized('The session has ended; sign in again.')
    : upstreamProblem(err);

/**
 * The signed-in user's devices from the IdP's device tracking (issue 15, ADR 0167), with their own
 * access token: ListDevices (every page) and ForgetDevice, which at the IdP also ends that device's
 * sessions (IdP ADR 0165).
 */
export class DevicesService {
  constructor(private readonly cognito: CognitoIdentityProviderClient) {}

  async list(accessToken: string, currentKey: string | undefined): Promise<Device[]> {
    const devices: Device[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.cognito.send(
          new ListDevicesCommand({ AccessToken: accessToken, Limit: 60, PaginationToken: token }),
        );
        for (const d of page.Devices ?? []) devices.push(toDevice(d, currentKey));
        token = page.PaginationToken;
      } while (token);
    } catch (err) {
      throw mapped(err);
    }
    const lastUse = (d: Device) => d.last_signed_in_at ?? d.created_at;
    return devices.sort((a, b) => (lastUse(a) < lastUse(b) ? 1 : lastUse(a) > lastUse(b) ? -1 : 0));
  }

  async forget(accessToken: string, deviceKey: string): Promise<void> {
    try {
      await this.cognito.send(new ForgetDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey }));
    } catch (err) {
      if (isCognitoError(err, 'ResourceNotFoundException')) throw notFound('No such device of yours.');
      throw mapped(err);
    }
  }
}
