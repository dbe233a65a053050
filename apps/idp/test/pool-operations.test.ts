import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t?.close());

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string };
    return `${e.name}: ${e.message}`;
  }
  throw new Error('expected a failure');
};
const newPool = async (input: Partial<sdk.CreateUserPoolCommandInput> = {}) =>
  (await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: `ops-${Date.now()}`, ...input })))
    .UserPool!;

describe('tags, groups and attribute deletion', () => {
  it('TagResource, UntagResource and ListTagsForResource work on the pool ARN', async () => {
    const pool = await newPool({ UserPoolTags: { team: 'identity' } });
    const arn = pool.Arn!;
    await t.cognito.send(
      new sdk.TagResourceCommand({ ResourceArn: arn, Tags: { env: 'test', cost: 'dev' } }),
    );
    await t.cognito.send(new sdk.UntagResourceCommand({ ResourceArn: arn, TagKeys: ['cost', 'absent'] }));
    const listed = await t.cognito.send(new sdk.ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(listed.Tags).toEqual({ team: 'identity', env: 'test' });
    const described = await t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: pool.Id! }));
    expect(described.UserPool!.UserPoolTags).toEqual({ team: 'identity', env: 'test' });
    const missing = `${arn.slice(0, arn.lastIndexOf('/'))}/us-east-1_missing`;
    expect(await failure(t.cognito.send(new sdk.ListTagsForResourceCommand({ ResourceArn: missing })))).toBe(
      `ResourceNotFoundException: Resource ${missing} does not exist.`,
    );
  });

  it('UpdateGroup changes what it is given and keeps the rest', async () => {
    const pool = await newPool();
    await t.cognito.send(
      new sdk.CreateGroupCommand({
        UserPoolId: pool.Id!,
        GroupName: 'staff',
        Description: 'Staff',
        Precedence: 3,
      }),
    );
    const updated = await t.cognito.send(
      new sdk.UpdateGroupCommand({ UserPoolId: pool.Id!, GroupName: 'staff', Precedence: 1 }),
    );
    expect(updated.Group).toMatchObject({ GroupName: 'staff', Description: 'Staff', Precedence: 1 });
    expect(
      await failure(
        t.cognito.send(new sdk.UpdateGroupCommand({ UserPoolId: pool.Id!, GroupName: 'nobody' })),
      ),
    ).toBe('ResourceNotFoundException: Group not found.');
    expect(
      await failure(
        t.cognito.send(
          new sdk.UpdateGroupCommand({ UserPoolId: pool.Id!, GroupName: 'staff', RoleArn: 'role' }),
        ),
      ),
    ).toMatch(/^InvalidParameterException: 1 validation error detected: Value 'role' at 'roleArn'/);
  });

  it('ListGroups pages with Limit and NextToken', async () => {
    const pool = await newPool();
    for (const g of ['a', 'b', 'c'])
      await t.cognito.send(new sdk.CreateGroupCommand({ UserPoolId: pool.Id!, GroupName: g }));
    const first = await t.cognito.send(new sdk.ListGroupsCommand({ UserPoolId: pool.Id!, Limit: 2 }));
    const second = await t.cognito.send(
      new sdk.ListGroupsCommand({ UserPoolId: pool.Id!, Limit: 2, NextToken: first.NextToken }),
    );
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(['a', 'b']);
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
    // Limit 0 is in Cognito's range (0 to 60) and means a full page.
    const all = await t.cognito.send(new sdk.ListGroupsCommand({ UserPoolId: pool.Id!, Limit: 0 }));
    expect(all.Groups!.map((g) => g.GroupName)).toEqual(['a', 'b', 'c']);
  });

  it('AdminDeleteUserAttributes and DeleteUserAttributes remove attributes, never required or unknown ones', async () => {
    const email = uniqueEmail('delete-attrs');
    await t.cognito.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: poolPassword,
        UserAttributes: [
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Ada' },
          { Name: 'nickname', Value: 'ada' },
          { Name: 'locale', Value: 'en' },
        ],
      }),
    );
    await t.cognito.send(
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        Password: poolPassword,
        Permanent: true,
      }),
    );
    const attrsOf = async () =>
      Object.fromEntries(
        (
          await t.cognito.send(
            new sdk.AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email }),
          )
        ).UserAttributes!.map((a) => [a.Name, a.Value]),
      );
    await t.cognito.send(
      new sdk.AdminDeleteUserAttributesCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        UserAttributeNames: ['nickname'],
      }),
    );
    expect(await attrsOf()).not.toHaveProperty('nickname');
    const signedIn = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(email) },
      }),
    );
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    await t.cognito.send(
      new sdk.DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['locale'] }),
    );
    expect(await attrsOf()).toMatchObject({ name: 'Ada', email });
    expect(await attrsOf()).not.toHaveProperty('locale');
    expect(
      await failure(
        t.cognito.send(new sdk.DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['email'] })),
      ),
    ).toBe(
      'InvalidParameterException: Attributes did not conform to the schema: email: The attribute is required',
    );
    expect(
      await failure(
        t.cognito.send(
          new sdk.DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['custom:nope'] }),
        ),
      ),
    ).toBe(
      'InvalidParameterException: Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.',
    );
    expect(
      await failure(
        t.cognito.send(
          new sdk.AdminDeleteUserAttributesCommand({
            UserPoolId: t.idp.pool.poolId,
            Username: 'nobody@example.com',
            UserAttributeNames: ['name'],
          }),
        ),
      ),
    ).toBe('UserNotFoundException: User does not exist.');
    expect(await attrsOf()).toMatchObject({ name: 'Ada' });
  });
});

describe('clients with the legacy ExplicitAuthFlows names', () => {
  const passwordUser = async (tag: string) => {
    const email = uniqueEmail(tag);
    await t.cognito.send(
      new sdk.AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
      }),
    );
    await t.cognito.send(
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        Password: poolPassword,
        Permanent: true,
      }),
    );
    return email;
  };

  /** The client refreshes the user's tokens and starts SRP for them (PASSWORD_VERIFIER). */
  const expectRefreshAndSrp = async (ClientId: string, email: string, refreshToken: string) => {
    const refreshed = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();
    const srp = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: email, SRP_A: 'ab'.repeat(128) },
      }),
    );
    expect(srp.ChallengeName).toBe('PASSWORD_VERIFIER');
  };

  it('USER_PASSWORD_AUTH alone still allows SRP and refresh; mixing the two naming styles is refused', async () => {
    const { UserPoolClient } = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: t.idp.pool.poolId,
        ClientName: 'legacy',
        ExplicitAuthFlows: ['USER_PASSWORD_AUTH'],
      }),
    );
    const ClientId = UserPoolClient!.ClientId!;
    expect(UserPoolClient!.ExplicitAuthFlows).toEqual(['USER_PASSWORD_AUTH']);
    const email = await passwordUser('legacy');
    const signedIn = await t.cognito.send(
      new sdk.InitiateAuthCommand({
        ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
      }),
    );
    expect(claimsOf(signedIn.AuthenticationResult!.AccessToken!)).toMatchObject({
      client_id: ClientId,
      version: 2,
    });
    await expectRefreshAndSrp(ClientId, email, signedIn.AuthenticationResult!.RefreshToken!);
    expect(
      await failure(
        t.cognito.send(
          new sdk.CreateUserPoolClientCommand({
            UserPoolId: t.idp.pool.poolId,
            ClientName: 'mixed',
            ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          }),
        ),
      ),
    ).toBe(
      'InvalidParameterException: ExplicitAuthFlows values with the ALLOW_ prefix cannot be used together with values without it.',
    );
  });

  const legacyClient = async (ExplicitAuthFlows: sdk.ExplicitAuthFlowsType[]) => {
    const { UserPoolClient } = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: t.idp.pool.poolId,
        ClientName: `legacy-${ExplicitAuthFlows.join('-')}`,
        ExplicitAuthFlows,
      }),
    );
    return UserPoolClient!.ClientId!;
  };

  it('ADMIN_NO_SRP_AUTH allows the admin password flow (by either name), SRP and refresh, not USER_PASSWORD_AUTH', async () => {
    const ClientId = await legacyClient(['ADMIN_NO_SRP_AUTH']);
    const email = await passwordUser('legacy-admin');
    const admin = (AuthFlow: sdk.AuthFlowType) =>
      t.cognito.send(
        new sdk.AdminInitiateAuthCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientId,
          AuthFlow,
          AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
        }),
      );
    const signedIn = await admin('ADMIN_USER_PASSWORD_AUTH');
    expect(claimsOf(signedIn.AuthenticationResult!.AccessToken!).client_id).toBe(ClientId);
    expect((await admin('ADMIN_NO_SRP_AUTH')).AuthenticationResult?.AccessToken).toBeTruthy();
    await expectRefreshAndSrp(ClientId, email, signedIn.AuthenticationResult!.RefreshToken!);
    expect(
      await failure(
        t.cognito.send(
          new sdk.InitiateAuthCommand({
            ClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: email, PASSWORD: poolPassword },
          }),
        ),
      ),
    ).toBe('InvalidParameterException: USER_PASSWORD_AUTH flow not enabled for this client');
  });

  it('CUSTOM_AUTH_FLOW_ONLY allows custom auth but not SRP or passwords', async () => {
    const ClientId = await legacyClient(['CUSTOM_AUTH_FLOW_ONLY']);
    const email = await passwordUser('legacy-custom');
    const initiate = (AuthFlow: sdk.AuthFlowType, AuthParameters: Record<string, string>) =>
      failure(t.cognito.send(new sdk.InitiateAuthCommand({ ClientId, AuthFlow, AuthParameters })));
    expect(await initiate('USER_SRP_AUTH', { USERNAME: email, SRP_A: 'ab'.repeat(128) })).toBe(
      'InvalidParameterException: USER_SRP_AUTH flow not enabled for this client',
    );
    expect(await initiate('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD: poolPassword })).toBe(
      'InvalidParameterException: USER_PASSWORD_AUTH flow not enabled for this client',
    );
    // The flow is allowed: what stops it is the pool having no custom-auth triggers.
    expect(await initiate('CUSTOM_AUTH', { USERNAME: email })).toBe(
      'InvalidParameterException: Custom auth lambda trigger is not configured for the user pool.',
    );
  });
});
