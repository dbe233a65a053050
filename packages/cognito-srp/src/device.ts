import { randomBytes } from 'node:crypto';
import { type ClientSession, computeClaimIn, type PasswordClaim } from './client.ts';
import { SrpInputError } from './errors.ts';
import { g, N } from './group.ts';
import { padHex } from './hex.ts';
import { modPowN } from './modpow.ts';
import { computeX, decodeBase64, parseSalt, requireText } from './protocol.ts';
import { type VerifyClaimInput, verifyClaimIn } from './server.ts';

/**
 * Remembered devices (ConfirmDevice, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER): the same SRP-6a as a
 * password sign-in, with the device group key in place of the pool name, the device key in place of
 * the username and a random device password the client keeps, as amazon-cognito-identity-js does
 * (AuthenticationHelper.generateHashDevice, CognitoUser.getDeviceResponse).
 */

/** NewDeviceMetadata as Cognito hands it out with the tokens. */
export interface DeviceIdentity {
  deviceGroupKey: string;
  deviceKey: string;
}

/** What the client keeps, and the DeviceSecretVerifierConfig it sends to ConfirmDevice (base64). */
export interface DeviceSecret {
  password: string;
  saltHex: string;
  verifierHex: string;
  config: { Salt: string; PasswordVerifier: string };
}

/** The client's side of ConfirmDevice: a random 40-byte password, a 16-byte salt and v = g^x mod N. */
export function createDeviceSecret(device: DeviceIdentity): DeviceSecret {
  const realm = requireText('deviceGroupKey', device.deviceGroupKey);
  const deviceKey = requireText('deviceKey', device.deviceKey);
  const password = randomBytes(40).toString('base64');
  const saltHex = padHex(BigInt(`0x${randomBytes(16).toString('hex')}`));
  const verifierHex = padHex(modPowN(g, computeX(realm, deviceKey, password, parseSalt(saltHex))));
  return {
    password,
    saltHex,
    verifierHex,
    config: {
      Salt: Buffer.from(saltHex, 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(verifierHex, 'hex').toString('base64'),
    },
  };
}

/**
 * The server's reading of ConfirmDevice's DeviceSecretVerifierConfig: base64 salt and verifier as hex,
 * refusing values that cannot be a verifier (empty, ≡ 0 mod N). The salt goes back as SALT in hex.
 */
export function readDeviceVerifierConfig(config: { Salt?: unknown; PasswordVerifier?: unknown }): {
  saltHex: string;
  verifierHex: string;
} {
  const salt = decodeBase64('Salt', config.Salt);
  const verifier = decodeBase64('PasswordVerifier', config.PasswordVerifier);
  if (salt.length > 128) throw new SrpInputError('Salt is too long');
  const v = BigInt(`0x${verifier.toString('hex') || '0'}`);
  if (v % N === 0n) throw new SrpInputError('PasswordVerifier must not be 0 mod N');
  return { saltHex: salt.toString('hex'), verifierHex: verifier.toString('hex') };
}

/** DEVICE_PASSWORD_VERIFIER on the server: false for a wrong device secret. */
export function verifyDeviceClaim(
  input: Omit<VerifyClaimInput, 'poolId' | 'userIdForSrp'> & DeviceIdentity,
): boolean {
  return verifyClaimIn(requireText('deviceGroupKey', input.deviceGroupKey), {
    ...input,
    userIdForSrp: input.deviceKey,
  });
}

/** DEVICE_PASSWORD_VERIFIER on the client, from DEVICE_SRP_AUTH's SALT, SRP_B and SECRET_BLOCK. */
export function computeDeviceClaim(
  input: DeviceIdentity & {
    password: string;
    saltHex: string;
    srpBHex: string;
    secretBlockB64: string;
    session: ClientSession;
    now?: Date;
  },
): PasswordClaim {
  return computeClaimIn(requireText('deviceGroupKey', input.deviceGroupKey), {
    ...input,
    userIdForSrp: input.deviceKey,
  });
}
