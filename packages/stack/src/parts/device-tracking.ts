import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type DeviceConfigurationType,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/**
 * Turns Cognito device tracking on for a test's pool (the pool definition leaves it off, ADR 0167),
 * keeping every other setting: UpdateUserPool resets what it is not given, as a Terraform apply would.
 */
export async function turnOnDeviceTracking(
  cognito: CognitoIdentityProviderClient,
  UserPoolId: string,
  DeviceConfiguration: DeviceConfigurationType,
): Promise<void> {
  const { UserPool: p } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }));
  if (!p) throw new Error(`no user pool ${UserPoolId}`);
  await cognito.send(
    new UpdateUserPoolCommand({
      UserPoolId,
      Policies: p.Policies,
      LambdaConfig: p.LambdaConfig,
      AutoVerifiedAttributes: p.AutoVerifiedAttributes,
      VerificationMessageTemplate: p.VerificationMessageTemplate,
      UserAttributeUpdateSettings: p.UserAttributeUpdateSettings,
      MfaConfiguration: p.MfaConfiguration,
      EmailConfiguration: p.EmailConfiguration,
      AdminCreateUserConfig: p.AdminCreateUserConfig,
      AccountRecoverySetting: p.AccountRecoverySetting,
      DeletionProtection: p.DeletionProtection,
      UserPoolTags: p.UserPoolTags,
      DeviceConfiguration,
    }),
  );
}
