/**
 * Shared steps for the passkey and MFA tests: pool settings (first factors, USER_AUTH on a client, MFA
 * factors) through the admin API, and Chromium's virtual authenticator.
 */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import type { BrowserContext, Page } from 'playwright-core';

/** The AWS SDK pointed at a local IdP (any credentials: it checks no signatures). */
export function sdkClientFor(idp: { url: string; pool: { region: string } }) {
  return new sdk.CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** The pool's first factors (UpdateUserPool resets what it is not given: the rest goes back). */
export async function allowFirstFactors(
  cognito: sdk.CognitoIdentityProviderClient,
  poolId: string,
  factors: ('PASSWORD' | 'WEB_AUTHN' | 'EMAIL_OTP')[],
) {
  const p = (await cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  await cognito.send(
    new sdk.UpdateUserPoolCommand({
      UserPoolId: poolId,
      AutoVerifiedAttributes: p.AutoVerifiedAttributes,
      UserAttributeUpdateSettings: p.UserAttributeUpdateSettings,
      MfaConfiguration: p.MfaConfiguration,
      DeletionProtection: p.DeletionProtection,
      Policies: { ...p.Policies, SignInPolicy: { AllowedFirstAuthFactors: factors } },
    }),
  );
}

/** Adds WEB_AUTHN to the pool's first factors. */
export function allowPasskeys(cognito: sdk.CognitoIdentityProviderClient, poolId: string) {
  return allowFirstFactors(cognito, poolId, ['PASSWORD', 'WEB_AUTHN']);
}

/** Adds ALLOW_USER_AUTH (choice-based sign-in) to a client, keeping the rest of its settings. */
export async function allowUserAuth(
  cognito: sdk.CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
) {
  const c = (
    await cognito.send(new sdk.DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))
  ).UserPoolClient!;
  const { ClientSecret: _secret, CreationDate: _c, LastModifiedDate: _m, ...settings } = c;
  await cognito.send(
    new sdk.UpdateUserPoolClientCommand({
      ...settings,
      UserPoolId: poolId,
      ClientId: clientId,
      ExplicitAuthFlows: [...new Set([...(c.ExplicitAuthFlows ?? []), 'ALLOW_USER_AUTH'])],
    } as sdk.UpdateUserPoolClientCommandInput),
  );
}

/** The pool's MFA: OPTIONAL or ON with the authenticator app and e-mail codes. */
export async function setMfa(
  cognito: sdk.CognitoIdentityProviderClient,
  poolId: string,
  mode: 'OPTIONAL' | 'ON',
  factors: ('SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP')[] = ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'],
) {
  await cognito.send(
    new sdk.SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: mode,
      SoftwareTokenMfaConfiguration: { Enabled: factors.includes('SOFTWARE_TOKEN_MFA') },
      ...(factors.includes('EMAIL_OTP')
        ? { EmailMfaConfiguration: { Message: 'Your sign-in code is {####}', Subject: 'Your sign-in code' } }
        : {}),
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
