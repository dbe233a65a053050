import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startClientSession } from './client.ts';
import {
  computeDeviceClaim,
  createDeviceSecret,
  readDeviceVerifierConfig,
  verifyDeviceClaim,
} from './device.ts';
import { SrpInputError } from './errors.ts';
import { startServerSession } from './server.ts';
import { AuthenticationHelper, call } from './test-support/library.ts';

const device = { deviceGroupKey: '-a1B2c3D4e', deviceKey: 'us-east-1_0f9e8d7c-1111-4222-8333-444455556666' };

/** One DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER exchange against a stored verifier. */
function exchange(stored: { verifierHex: string; saltHex: string }, password: string) {
  const serverSession = startServerSession(stored.verifierHex);
  const session = startClientSession();
  const secretBlockB64 = randomBytes(64).toString('base64');
  const claim = computeDeviceClaim({
    ...device,
    password,
    saltHex: stored.saltHex,
    srpBHex: serverSession.B,
    secretBlockB64,
    session,
  });
  return verifyDeviceClaim({
    ...device,
    verifierHex: stored.verifierHex,
    AHex: session.A,
    serverSession,
    secretBlockB64,
    timestamp: claim.timestamp,
    signatureB64: claim.signatureB64,
  });
}

describe('device secrets', () => {
  it('a device proves its secret through the verifier ConfirmDevice stored, and not with another', () => {
    const secret = createDeviceSecret(device);
    const stored = readDeviceVerifierConfig(secret.config);
    expect(exchange(stored, secret.password)).toBe(true);
    expect(exchange(stored, createDeviceSecret(device).password)).toBe(false);
  });

  it("accepts the verifier amazon-cognito-identity-js's generateHashDevice makes", async () => {
    const helper = new AuthenticationHelper(device.deviceGroupKey) as unknown as {
      generateHashDevice(group: string, key: string, cb: (err: Error | null) => void): void;
      getSaltDevices(): string;
      getVerifierDevices(): string;
      getRandomPassword(): string;
    };
    await call<null>((cb) =>
      helper.generateHashDevice(device.deviceGroupKey, device.deviceKey, (e) => cb(e, null)),
    );
    const stored = readDeviceVerifierConfig({
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    });
    expect(exchange(stored, helper.getRandomPassword())).toBe(true);
  });

  it('refuses a verifier config that is not base64 or is zero', () => {
    expect(() => readDeviceVerifierConfig({ Salt: 'AAAA', PasswordVerifier: 'not base64!' })).toThrow(
      SrpInputError,
    );
    expect(() => readDeviceVerifierConfig({ Salt: 'AAAA', PasswordVerifier: 'AAAA' })).toThrow(SrpInputError);
  });
});
