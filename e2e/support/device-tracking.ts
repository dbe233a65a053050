/** Device tracking on for a browser test's pool, through the IdP's admin API (ADR 0167). */

import { turnOnDeviceTracking } from '@app/stack';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Stack } from './stack.ts';

/** Devices are remembered at once (no "remember this device?" prompt), with no device challenge. */
export async function trackDevices(stack: Stack): Promise<void> {
  const cognito = new CognitoIdentityProviderClient({
    region: stack.idp.pool.region,
    endpoint: stack.idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await turnOnDeviceTracking(cognito, stack.idp.pool.poolId, {
      ChallengeRequiredOnNewDevice: false,
      DeviceOnlyRememberedOnUserPrompt: false,
    });
  } finally {
    cognito.destroy();
  }
}
