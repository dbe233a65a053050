import { type Static, Type } from '@sinclair/typebox';

/**
 * The signed-in user's devices (issue 15): the ones their browsers and apps confirmed with the
 * identity provider's device tracking (Cognito ListDevices), and "sign out this one" (ForgetDevice).
 */
export const DeviceKey = Type.String({
  minLength: 1,
  maxLength: 55,
  pattern: '^[\\w-]+_[0-9a-f-]+$',
  description: 'The device key Cognito gave the device (`<region>_<uuid>`).',
});

export const Device = Type.Object(
  {
    device_key: DeviceKey,
    /** What the device called itself when it was confirmed (a browser's user agent), if anything. */
    name: Type.Union([Type.String(), Type.Null()]),
    /** Remembered devices sign in with their device key (and may skip MFA, per the pool). */
    remembered: Type.Boolean(),
    created_at: Type.String({ format: 'date-time' }),
    last_signed_in_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    /** The device this request's access token was issued to. */
    current: Type.Boolean(),
  },
  { description: 'One signed-in device of the caller.' },
);
export type Device = Static<typeof Device>;

export const DeviceList = Type.Object(
  { devices: Type.Array(Device) },
  { $id: 'DeviceList', description: 'The caller’s devices, most recently used first.' },
);
export type DeviceList = Static<typeof DeviceList>;

export const DeviceParams = Type.Object({ device_key: DeviceKey });
export type DeviceParams = Static<typeof DeviceParams>;
