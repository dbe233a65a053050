import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t?.close());

const send = <T>(cmd: { input: unknown }) => t.cognito.send(cmd as never) as Promise<T>;
const describePool = async (id: string) =>
  (await t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
const createPool = async (input: Partial<sdk.CreateUserPoolCommandInput> = {}) =>
  (await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: `settings-${Date.now()}`, ...input })))
    .UserPool!;
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string };
    return `${e.name}: ${e.message}`;
  }
  throw new Error('expected a failure');
};
async function clientOf(poolId: string) {
  const c = await t.cognito.send(
    new sdk.CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  return c.UserPoolClient!.ClientId!;
}

const lambda = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

describe('pool settings as Cognito stores and returns them', () => {
  it('a minimal pool lists the full standard schema and Cognito defaults', async () => {
    const pool = await createPool();
    const d = await describePool(pool.Id!);
    expect(d.SchemaAttributes!.map((a) => a.Name)).toEqual([
      'sub',
      'name',
      'given_name',
      'family_name',
      'middle_name',
      'nickname',
      'preferred_username',
      'profile',
      'picture',
      'website',
      'email',
      'email_verified',
      'gender',
      'birthdate',
      'zoneinfo',
      'locale',
      'phone_number',
      'phone_number_verified',
      'address',
      'updated_at',
      'identities',
    ]);
    const byName = Object.fromEntries(d.SchemaAttributes!.map((a) => [a.Name, a]));
    expect(byName.sub).toEqual({
      Name: 'sub',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: true,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
    });
    expect(byName.birthdate!.StringAttributeConstraints).toEqual({ MinLength: '10', MaxLength: '10' });
    expect(byName.updated_at).toMatchObject({
      AttributeDataType: 'Number',
      NumberAttributeConstraints: { MinValue: '0' },
    });
    expect(byName.email_verified).toEqual({
      Name: 'email_verified',
      AttributeDataType: 'Boolean',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
    });
    expect(d).toMatchObject({
      LambdaConfig: {},
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } },
      UserPoolTier: 'ESSENTIALS',
      MfaConfiguration: 'OFF',
      DeletionProtection: 'INACTIVE',
      UserPoolTags: {},
    });
    expect(d.AccountRecoverySetting).toBeUndefined();
    expect(d.UsernameConfiguration).toBeUndefined();
  });

  it('stores and returns every setting it was given', async () => {
    const settings = {
      Schema: [
        { Name: 'email', AttributeDataType: 'String' as const, Required: true, Mutable: true },
        {
          Name: 'tier',
          AttributeDataType: 'String' as const,
          Mutable: true,
          StringAttributeConstraints: { MinLength: '1', MaxLength: '16' },
        },
        {
          Name: 'age',
          AttributeDataType: 'Number' as const,
          NumberAttributeConstraints: { MinValue: '0', MaxValue: '150' },
        },
        {
          Name: 'legacyId',
          AttributeDataType: 'String' as const,
          DeveloperOnlyAttribute: true,
          Mutable: false,
        },
      ],
      AutoVerifiedAttributes: ['email' as const],
      UsernameAttributes: ['email' as const],
      UsernameConfiguration: { CaseSensitive: false },
      VerificationMessageTemplate: {
        EmailMessage: 'Welcome! Your code: {####}',
        EmailSubject: 'Confirm your account',
        DefaultEmailOption: 'CONFIRM_WITH_CODE' as const,
      },
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: false,
        InviteMessageTemplate: {
          EmailMessage: 'Hello {username}, your password is {####}',
          EmailSubject: 'You are invited',
        },
      },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email' as const, Priority: 1 }] },
      LambdaConfig: {
        PreSignUp: lambda('pre-sign-up'),
        PreTokenGenerationConfig: { LambdaVersion: 'V2_0' as const, LambdaArn: lambda('pre-token') },
      },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email' as const] },
      DeletionProtection: 'ACTIVE' as const,
      MfaConfiguration: 'OFF' as const,
      UserPoolTags: { team: 'identity', env: 'test' },
    };
    const created = await createPool(settings);
    const d = await describePool(created.Id!);
    const schema = Object.fromEntries(d.SchemaAttributes!.map((a) => [a.Name, a]));
    expect(schema.email).toMatchObject({ Required: true, Mutable: true });
    expect(schema['custom:tier']).toEqual({
      Name: 'custom:tier',
      AttributeDataType: 'String',
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: { MinLength: '1', MaxLength: '16' },
    });
    expect(schema['custom:age']!.NumberAttributeConstraints).toEqual({ MinValue: '0', MaxValue: '150' });
    expect(schema['dev:custom:legacyId']).toMatchObject({ DeveloperOnlyAttribute: true, Mutable: false });
    expect(d).toMatchObject({
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: settings.VerificationMessageTemplate,
      // Cognito mirrors the template into the older top-level members.
      EmailVerificationMessage: 'Welcome! Your code: {####}',
      EmailVerificationSubject: 'Confirm your account',
      AdminCreateUserConfig: { ...settings.AdminCreateUserConfig, UnusedAccountValidityDays: 7 },
      AccountRecoverySetting: settings.AccountRecoverySetting,
      LambdaConfig: { ...settings.LambdaConfig, PreTokenGeneration: lambda('pre-token') },
      DeviceConfiguration: settings.DeviceConfiguration,
      UserAttributeUpdateSettings: settings.UserAttributeUpdateSettings,
      DeletionProtection: 'ACTIVE',
      UserPoolTags: settings.UserPoolTags,
    });
    // CreateUserPool answers with the same description.
    expect(created.SchemaAttributes).toEqual(d.SchemaAttributes);
  });

  it('UpdateUserPool resets what it is not given and keeps schema, name and tags', async () => {
    const pool = await createPool({
      Schema: [{ Name: 'tier', AttributeDataType: 'String' }],
      AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: { EmailMessage: 'Code {####}', EmailSubject: 'Code' },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
      LambdaConfig: { PreSignUp: lambda('pre-sign-up') },
      DeletionProtection: 'ACTIVE',
      UserPoolTags: { team: 'identity' },
    });
    await t.cognito.send(new sdk.UpdateUserPoolCommand({ UserPoolId: pool.Id!, MfaConfiguration: 'OFF' }));
    const d = await describePool(pool.Id!);
    expect(d).toMatchObject({
      Name: pool.Name,
      LambdaConfig: {},
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      AutoVerifiedAttributes: [],
      DeletionProtection: 'INACTIVE',
      UserPoolTags: { team: 'identity' },
    });
    expect(d.AccountRecoverySetting).toBeUndefined();
    expect(d.EmailVerificationMessage).toBeUndefined();
    expect(d.SchemaAttributes!.some((a) => a.Name === 'custom:tier')).toBe(true);
  });

  it("refuses schemas Cognito refuses, with Cognito's messages, and creates nothing", async () => {
    const before = (await t.cognito.send(new sdk.ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length;
    const bad = (Schema: sdk.SchemaAttributeType[]) => failure(createPool({ Schema }));
    expect(await bad([{ Name: 'tier', AttributeDataType: 'String', Required: true }])).toBe(
      'InvalidParameterException: Required custom attributes are not supported currently.',
    );
    expect(await bad([{ Name: 'tier', AttributeDataType: 'Text' as never }])).toBe(
      "InvalidParameterException: 1 validation error detected: Value 'Text' at 'schema.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]",
    );
    expect(await bad([{ Name: 'email', AttributeDataType: 'Number' }])).toBe(
      'InvalidParameterException: You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email',
    );
    expect(
      await bad([
        {
          Name: 'tier',
          AttributeDataType: 'String',
          StringAttributeConstraints: { MinLength: '9', MaxLength: '3' },
        },
      ]),
    ).toBe('InvalidParameterException: user.custom:tier: Max length cannot be less than min length.');
    expect(
      await bad([
        { Name: 'tier', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '4096' } },
      ]),
    ).toBe(
      'InvalidParameterException: user.custom:tier: String attributes cannot have a length of more than 2048',
    );
    expect(
      await bad([
        {
          Name: 'n',
          AttributeDataType: 'Number',
          NumberAttributeConstraints: { MinValue: '5', MaxValue: '1' },
        },
      ]),
    ).toBe('InvalidParameterException: user.custom:n: Max value cannot be less than min value.');
    expect(await bad([{ Name: 'tier' }])).toBe(
      'InvalidParameterException: Invalid AttributeDataType input, consider using the provided AttributeDataType enum.',
    );
    expect(await failure(createPool({ UsernameAttributes: ['email'], AliasAttributes: ['email'] }))).toBe(
      'InvalidParameterException: Only one of aliasAttributes or usernameAttributes can be set in a User Pool.',
    );
    expect(
      await failure(createPool({ VerificationMessageTemplate: { EmailMessage: 'no code placeholder' } })),
    ).toMatch(
      /^InvalidParameterException: 1 validation error detected: Value 'no code placeholder' at 'verificationMessageTemplate.emailMessage' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    const after = (await t.cognito.send(new sdk.ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.length;
    expect(after).toBe(before);
  });

  it('AddCustomAttributes appends custom and developer-only attributes and refuses existing names', async () => {
    const pool = await createPool({ Schema: [{ Name: 'tier', AttributeDataType: 'String' }] });
    await t.cognito.send(
      new sdk.AddCustomAttributesCommand({
        UserPoolId: pool.Id!,
        CustomAttributes: [
          { Name: 'plan', AttributeDataType: 'String', Mutable: false },
          { Name: 'ext', AttributeDataType: 'Number', DeveloperOnlyAttribute: true },
        ],
      }),
    );
    const names = (await describePool(pool.Id!)).SchemaAttributes!.map((a) => a.Name);
    expect(names.slice(-3)).toEqual(['custom:tier', 'custom:plan', 'dev:custom:ext']);
    const add = (a: sdk.SchemaAttributeType) =>
      failure(
        t.cognito.send(new sdk.AddCustomAttributesCommand({ UserPoolId: pool.Id!, CustomAttributes: [a] })),
      );
    expect(await add({ Name: 'tier', AttributeDataType: 'String' })).toBe(
      'InvalidParameterException: custom:tier: Existing attribute already has name custom:tier.',
    );
    expect(await add({ Name: 'ext', AttributeDataType: 'String' })).toBe(
      'InvalidParameterException: custom:ext: Existing attribute already has name dev:custom:ext.',
    );
    expect(
      await failure(
        t.cognito.send(
          new sdk.AddCustomAttributesCommand({
            UserPoolId: 'us-east-1_missing',
            CustomAttributes: [{ Name: 'x', AttributeDataType: 'String' }],
          }),
        ),
      ),
    ).toBe('ResourceNotFoundException: User pool us-east-1_missing does not exist.');
  });
});

describe('the pool settings the IdP acts on', () => {
  it('code and invitation mails use the pool message templates', async () => {
    const pool = await createPool({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      VerificationMessageTemplate: { EmailMessage: 'Your Acme code is {####}.', EmailSubject: 'Acme code' },
      AdminCreateUserConfig: {
        InviteMessageTemplate: { EmailMessage: 'Hi {username}: {####}', EmailSubject: 'Welcome to Acme' },
      },
    });
    const clientId = await clientOf(pool.Id!);
    const email = uniqueEmail('template');
    await t.cognito.send(
      new sdk.SignUpCommand({ ClientId: clientId, Username: email, Password: poolPassword }),
    );
    const [mail] = await t.mailbox(email);
    expect(mail!.subject).toBe('Acme code');
    expect(mail!.body).toBe(`Your Acme code is ${mail!.code}.`);
    const invited = uniqueEmail('invited');
    await t.cognito.send(new sdk.AdminCreateUserCommand({ UserPoolId: pool.Id!, Username: invited }));
    const [invite] = await t.mailbox(invited);
    expect(invite).toMatchObject({ subject: 'Welcome to Acme', body: `Hi ${invited}: ${invite!.code}` });
  });

  it('the older EmailVerificationMessage/Subject word the sign-up and reset mails too', async () => {
    const pool = await createPool({
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      EmailVerificationMessage: 'Legacy code {####}',
      EmailVerificationSubject: 'Legacy subject',
    });
    expect((await describePool(pool.Id!)).VerificationMessageTemplate).toMatchObject({
      EmailMessage: 'Legacy code {####}',
      EmailSubject: 'Legacy subject',
    });
    const clientId = await clientOf(pool.Id!);
    const email = uniqueEmail('legacy-template');
    await t.cognito.send(
      new sdk.SignUpCommand({ ClientId: clientId, Username: email, Password: poolPassword }),
    );
    const [signUp] = await t.mailbox(email);
    expect(signUp).toMatchObject({
      kind: 'signup',
      subject: 'Legacy subject',
      body: `Legacy code ${signUp!.code}`,
    });
    await t.cognito.send(
      new sdk.ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: signUp!.code }),
    );
    await t.cognito.send(new sdk.ForgotPasswordCommand({ ClientId: clientId, Username: email }));
    const [reset] = await t.mailbox(email);
    expect(reset).toMatchObject({
      kind: 'reset',
      subject: 'Legacy subject',
      body: `Legacy code ${reset!.code}`,
    });
  });

  it('admin_only recovery refuses ForgotPassword; no AutoVerifiedAttributes sends no code', async () => {
    const pool = await createPool({
      UsernameAttributes: ['email'],
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
    });
    const clientId = await clientOf(pool.Id!);
    const email = uniqueEmail('norecovery');
    const signUp = await t.cognito.send(
      new sdk.SignUpCommand({ ClientId: clientId, Username: email, Password: poolPassword }),
    );
    expect(signUp.CodeDeliveryDetails).toBeUndefined();
    expect(await t.mailbox(email)).toEqual([]);
    expect(
      await failure(
        t.cognito.send(new sdk.ResendConfirmationCodeCommand({ ClientId: clientId, Username: email })),
      ),
    ).toBe('InvalidParameterException: Cannot resend codes. Auto verification not turned on.');
    await t.cognito.send(new sdk.AdminConfirmSignUpCommand({ UserPoolId: pool.Id!, Username: email }));
    expect(
      await failure(t.cognito.send(new sdk.ForgotPasswordCommand({ ClientId: clientId, Username: email }))),
    ).toBe('NotAuthorizedException: Contact administrator to reset password.');
  });

  it('AllowAdminCreateUserOnly refuses SignUp', async () => {
    const pool = await createPool({ AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const clientId = await clientOf(pool.Id!);
    expect(
      await failure(
        t.cognito.send(
          new sdk.SignUpCommand({ ClientId: clientId, Username: 'someone', Password: poolPassword }),
        ),
      ),
    ).toBe('NotAuthorizedException: SignUp is not permitted for this user pool');
  });

  it('reads booleans as Cognito does, checks E.164 phone numbers and attribute constraints', async () => {
    const pool = await createPool({
      UsernameAttributes: ['email'],
      Schema: [{ Name: 'tier', AttributeDataType: 'String', StringAttributeConstraints: { MaxLength: '4' } }],
    });
    const email = uniqueEmail('attrs');
    const create = (attrs: sdk.AttributeType[]) =>
      t.cognito.send(
        new sdk.AdminCreateUserCommand({
          UserPoolId: pool.Id!,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: attrs,
        }),
      );
    expect(await failure(create([{ Name: 'phone_number', Value: '0612345678' }]))).toBe(
      'InvalidParameterException: Invalid phone number format.',
    );
    expect(await failure(create([{ Name: 'custom:tier', Value: 'platinum' }]))).toBe(
      'InvalidParameterException: Attributes did not conform to the schema: custom:tier: String must be no longer than 4 characters',
    );
    await create([
      { Name: 'email_verified', Value: 'True' },
      { Name: 'phone_number', Value: '+14155550100' },
    ]);
    const got = await send<sdk.AdminGetUserCommandOutput>(
      new sdk.AdminGetUserCommand({ UserPoolId: pool.Id!, Username: email }),
    );
    const attrs = Object.fromEntries(got.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({ email_verified: 'true', phone_number: '+14155550100' });
  });
});
