/** Shared steps for the passkey browser tests: a pool that allows passkeys, and Chromium's virtual authenticator. */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { BrowserContext, Page } from 'playwright-core';

/** Adds WEB_AUTHN to the pool's first factors (UpdateUserPool resets what it is not given: the rest goes back). */
export async function allowPasskeys(cognito: sdk.CognitoIdentityProviderClient, poolId: string) {
  const p = (await cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  await cognito.send(
    new sdk.UpdateUserPoolCommand({
      UserPoolId: poolId,
      AutoVerifiedAttributes: p.AutoVerifiedAttributes,
      UserAttributeUpdateSettings: p.UserAttributeUpdateSettings,
      MfaConfiguration: p.MfaConfiguration,
      DeletionProtection: p.DeletionProtection,
      Policies: { ...p.Policies, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    }),
  );
}

/** A platform authenticator with resident keys and user verification that answers without a prompt. */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}
