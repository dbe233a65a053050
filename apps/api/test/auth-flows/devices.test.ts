/**
 * Issue 15 (ADR 0167): the signed-in user's devices through the API — GET /users/me/devices and
 * DELETE /users/me/devices/{device_key} ("sign out this one") — against the real local IdP with device
 * tracking on. The devices are confirmed here as a browser's amazon-cognito-identity-js would.
 */
import { createDeviceSecret } from '@app/cognito-srp';
import { turnOnDeviceTracking } from '@app/stack';
import { ConfirmDeviceCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, claims, expectProblem, idpDirect, login } from '../security/session-support.ts';
import { type RealStack, startRealStack } from './real-stack.ts';

const user = { email: 'device-owner@example.com', password: 'device owner password 1' };
let stack: RealStack;
let app: FastifyInstance;
let direct: ReturnType<typeof idpDirect>;

beforeAll(async () => {
  stack = await startRealStack('devices', { users: [user] });
  app = stack.app;
  direct = idpDirect(stack.idp);
  await turnOnDeviceTracking(direct.cognito, stack.idp.pool.poolId, {
    ChallengeRequiredOnNewDevice: false,
    DeviceOnlyRememberedOnUserPrompt: true,
  });
});
afterAll(async () => {
  direct?.close();
  await stack?.close();
});

/** Signs in through the API and confirms the session's device, as the browser library does. */
async function signInOnDevice(name: string) {
  const tokens = await login(app, user);
  const deviceKey = String(claims(tokens.access_token).device_key);
  const secret = createDeviceSecret({ deviceGroupKey: 'group', deviceKey });
  await direct.cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: tokens.access_token,
      DeviceKey: deviceKey,
      DeviceName: name,
      DeviceSecretVerifierConfig: secret.config,
    }),
  );
  return { tokens, deviceKey };
}

describe('GET and DELETE /users/me/devices', () => {
  it('lists my devices with the current one marked, and signs another one out', async () => {
    const laptop = await signInOnDevice('Firefox on the laptop');
    const phone = await signInOnDevice('Safari on the phone');

    const listed = await api(app, phone.tokens.access_token).get('/users/me/devices');
    expect(listed.statusCode, listed.body).toBe(200);
    const devices = listed.json().devices as Array<Record<string, unknown>>;
    expect(devices.map((d) => [d.device_key, d.name, d.current, d.remembered]).sort()).toEqual(
      [
        [laptop.deviceKey, 'Firefox on the laptop', false, false],
        [phone.deviceKey, 'Safari on the phone', true, false],
      ].sort(),
    );
    expect(Date.parse(String(devices[0]!.created_at))).not.toBeNaN();

    // "Sign out this one", from the phone: the laptop's device is forgotten and its session ends.
    const gone = await api(app, phone.tokens.access_token).del(`/users/me/devices/${laptop.deviceKey}`);
    expect(gone.statusCode, gone.body).toBe(204);
    expect(await direct.refresh(laptop.tokens)).toBe('NotAuthorizedException');
    expectProblem(await api(app, laptop.tokens.access_token).get('/users/me/devices'), 401);
    // Refused by the API itself on routes that never ask the IdP (Cognito's ForgetDevice does not
    // revoke access tokens already issued on the device).
    for (const path of ['/users/me', '/items'])
      expectProblem(await api(app, laptop.tokens.access_token).get(path), 401);
    expect((await api(app, phone.tokens.access_token).get('/items')).statusCode).toBe(200);
    const after = await api(app, phone.tokens.access_token).get('/users/me/devices');
    expect(after.json().devices.map((d: { device_key: string }) => d.device_key)).toEqual([phone.deviceKey]);

    // Not (or no longer) one of mine: 404; a malformed key never reaches the IdP.
    expectProblem(
      await api(app, phone.tokens.access_token).del(`/users/me/devices/${laptop.deviceKey}`),
      404,
    );
    expectProblem(await api(app, phone.tokens.access_token).del('/users/me/devices/not-a-key'), 400);
  });

  it('refuses the device routes without a token', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/users/me/devices' }), 401);
    expectProblem(
      await app.inject({ method: 'DELETE', url: '/api/v1/users/me/devices/us-east-1_0000-aaaa' }),
      401,
    );
  });
});
