import { secretHash } from '@app/cognito-srp';
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

let t: TestIdp;
let poolId: string;
beforeAll(async () => {
  t = await startTestIdp();
  poolId = t.idp.pool.poolId;
});
afterAll(() => t.close());

describe('pools, clients and groups', () => {
  it('describes the bootstrapped pool from the pool definition', async () => {
    const { UserPool } = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool).toMatchObject({ Id: poolId, Name: 'app-users', UsernameAttributes: ['email'] });
    expect(UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(12);
    const missing = await t.cognito
      .send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_missing00' }))
      .catch((e) => e);
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('User pool us-east-1_missing00 does not exist.');
  });

  it('creates a pool and clients with and without a secret, with their settings', async () => {
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'extra',
        UsernameAttributes: ['email'],
        Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true } },
      }),
    );
    expect(UserPool?.Id).toMatch(/^us-east-1_[0-9A-Za-z]+$/);
    const pub = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id!,
        ClientName: 'public',
        GenerateSecret: false,
      }),
    );
    expect(pub.UserPoolClient?.ClientSecret).toBeUndefined();
    expect(pub.UserPoolClient?.ExplicitAuthFlows).toContain('ALLOW_USER_SRP_AUTH');
    const secret = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool!.Id!,
        ClientName: 'confidential',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        AccessTokenValidity: 15,
        TokenValidityUnits: { AccessToken: 'minutes' },
      }),
    );
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: UserPool!.Id!,
        ClientId: secret.UserPoolClient!.ClientId!,
      }),
    );
    expect(described.UserPoolClient).toMatchObject({
      ClientName: 'confidential',
      ClientSecret: secret.UserPoolClient!.ClientSecret,
      PreventUserExistenceErrors: 'ENABLED',
      AccessTokenValidity: 15,
    });
    expect(described.UserPoolClient!.ClientSecret).toMatch(/^[a-z0-9]{51}$/);

    // The new pool's policy (min 10, numbers) applies to sign-ups through its client.
    const email = uniqueEmail('extra');
    const err = await t.cognito
      .send(
        new SignUpCommand({
          ClientId: pub.UserPoolClient!.ClientId!,
          Username: email,
          Password: 'no numbers here',
        }),
      )
      .catch((e) => e);
    expect(err.message).toBe('Password did not conform with policy: Password must have numeric characters');

    // Short access-token lifetime from the client settings.
    await t.cognito.send(
      new SignUpCommand({
        ClientId: pub.UserPoolClient!.ClientId!,
        Username: email,
        Password: 'numbers 1234 here',
      }),
    );
    await t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: UserPool!.Id!, Username: email }));
    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: secret.UserPoolClient!.ClientId!,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: email,
          PASSWORD: 'numbers 1234 here',
          SECRET_HASH: secretHash(
            email,
            secret.UserPoolClient!.ClientId!,
            secret.UserPoolClient!.ClientSecret!,
          ),
        },
      }),
    );
    expect(auth.AuthenticationResult?.ExpiresIn).toBe(900);
    const bad = await t.cognito
      .send(
        new CreateUserPoolClientCommand({
          UserPoolId: UserPool!.Id!,
          ClientName: 'x',
          ExplicitAuthFlows: ['NOPE' as 'ALLOW_USER_SRP_AUTH'],
        }),
      )
      .catch((e) => e);
    expect(bad.name).toBe('InvalidParameterException');
  });

  it('creates and lists groups', async () => {
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'viewer', Precedence: 20 }));
    const dup = await t.cognito
      .send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'viewer' }))
      .catch((e) => e);
    expect(dup.name).toBe('GroupExistsException');
    const page1 = await t.cognito.send(new ListGroupsCommand({ UserPoolId: poolId, Limit: 2 }));
    expect(page1.Groups?.map((g) => g.GroupName)).toEqual(['admin', 'editor']);
    const page2 = await t.cognito.send(
      new ListGroupsCommand({ UserPoolId: poolId, Limit: 2, NextToken: page1.NextToken }),
    );
    expect(page2.Groups?.map((g) => g.GroupName)).toEqual(['viewer']);
    expect(page2.NextToken).toBeUndefined();
  });
});

describe('admin user management', () => {
  it('creates, reads, groups, updates and deletes a user', async () => {
    const email = uniqueEmail('admin');
    const created = await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        TemporaryPassword: 'temporary passphrase',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'name', Value: 'Temp' }],
      }),
    );
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(await t.mailbox(email)).toHaveLength(0);
    const again = await t.cognito
      .send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: email }))
      .catch((e) => e);
    expect(again.name).toBe('UsernameExistsException');

    await t.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'editor' }),
    );
    await t.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'admin' }),
    );
    const noGroup = await t.cognito
      .send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'nope' }))
      .catch((e) => e);
    expect(noGroup.name).toBe('ResourceNotFoundException');
    const groups = await t.cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: email }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['admin', 'editor']);
    const members = await t.cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'editor' }),
    );
    expect(members.Users?.map((u) => u.Username)).toEqual([created.User!.Username]);
    await t.cognito.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: 'admin' }),
    );
    const after = await t.cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: email }),
    );
    expect(after.Groups?.map((g) => g.GroupName)).toEqual(['editor']);

    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [{ Name: 'name', Value: 'Renamed' }],
      }),
    );
    const got = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: created.User!.Username! }),
    );
    expect(got.UserAttributes).toContainEqual({ Name: 'name', Value: 'Renamed' });
    const bad = await t.cognito
      .send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: email,
          UserAttributes: [{ Name: 'shoe_size', Value: '9' }],
        }),
      )
      .catch((e) => e);
    expect(bad.name).toBe('InvalidParameterException');

    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    const gone = await t.cognito
      .send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))
      .catch((e) => e);
    expect(gone.name).toBe('UserNotFoundException');
    expect(gone.message).toBe('User does not exist.');
  });

  it('AdminConfirmSignUp confirms without verifying the e-mail, as Cognito does', async () => {
    const email = uniqueEmail('adminconfirm');
    await t.cognito.send(
      new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
    );
    await t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }));
    const got = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(got.UserStatus).toBe('CONFIRMED');
    expect(got.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });
    const twice = await t.cognito
      .send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: email }))
      .catch((e) => e);
    expect(twice.name).toBe('NotAuthorizedException');
  });

  it('lets a user read and update their own attributes; a new e-mail is verified by code', async () => {
    const email = uniqueEmail('self');
    const extra = await startTestIdp({ users: [{ email, password: poolPassword, name: 'Self' }] });
    try {
      const signIn = async (username: string) =>
        (
          await extra.cognito.send(
            new InitiateAuthCommand({
              ClientId: extra.backend.clientId,
              AuthFlow: 'USER_PASSWORD_AUTH',
              AuthParameters: {
                USERNAME: username,
                PASSWORD: poolPassword,
                SECRET_HASH: extra.secretHash(username),
              },
            }),
          )
        ).AuthenticationResult!;
      const { AccessToken } = await signIn(email);
      const me = await extra.cognito.send(new GetUserCommand({ AccessToken }));
      expect(me.Username).toBe(claimsOf(AccessToken!).sub);
      const newEmail = uniqueEmail('moved');
      const out = await extra.cognito.send(
        new UpdateUserAttributesCommand({
          AccessToken,
          UserAttributes: [
            { Name: 'name', Value: 'Moved' },
            { Name: 'email', Value: newEmail },
          ],
        }),
      );
      expect(out.CodeDeliveryDetailsList?.[0]?.DeliveryMedium).toBe('EMAIL');
      const code = await extra.lastCode(newEmail, 'verification');
      await extra.cognito.send(
        new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: code }),
      );
      const id = claimsOf((await signIn(newEmail)).IdToken!);
      expect(id).toMatchObject({ email: newEmail, email_verified: true, name: 'Moved' });
    } finally {
      await extra.close();
    }
  });
});

describe('ListUsers', () => {
  it('filters and paginates', async () => {
    const extra = await startTestIdp();
    try {
      const emails = Array.from({ length: 7 }, (_, i) => `lister${i}.${Date.now()}@example.org`);
      for (const [i, email] of emails.entries()) {
        await extra.cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: extra.idp.pool.poolId,
            Username: email,
            MessageAction: 'SUPPRESS',
            UserAttributes: [{ Name: 'name', Value: i % 2 === 0 ? `Even ${i}` : `Odd ${i}` }],
          }),
        );
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await extra.cognito.send(
          new ListUsersCommand({ UserPoolId: extra.idp.pool.poolId, Limit: 3, PaginationToken: token }),
        );
        expect(page.Users!.length).toBeLessThanOrEqual(3);
        seen.push(...page.Users!.map((u) => u.Attributes!.find((a) => a.Name === 'email')!.Value!));
        token = page.PaginationToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...emails].sort());

      const exact = await extra.cognito.send(
        new ListUsersCommand({ UserPoolId: extra.idp.pool.poolId, Filter: `email = "${emails[3]}"` }),
      );
      expect(exact.Users).toHaveLength(1);
      const prefix = await extra.cognito.send(
        new ListUsersCommand({ UserPoolId: extra.idp.pool.poolId, Filter: 'name ^= "Even"' }),
      );
      expect(prefix.Users).toHaveLength(4);
      const status = await extra.cognito.send(
        new ListUsersCommand({
          UserPoolId: extra.idp.pool.poolId,
          Filter: 'cognito:user_status = "FORCE_CHANGE_PASSWORD"',
        }),
      );
      expect(status.Users).toHaveLength(7);
      const bad = await extra.cognito
        .send(new ListUsersCommand({ UserPoolId: extra.idp.pool.poolId, Filter: 'email contains x' }))
        .catch((e) => e);
      expect(bad.name).toBe('InvalidParameterException');
      const tooMany = await extra.cognito
        .send(new ListUsersCommand({ UserPoolId: extra.idp.pool.poolId, Limit: 61 }))
        .catch((e) => e);
      expect(tooMany.name).toBe('InvalidParameterException');
    } finally {
      await extra.close();
    }
  });
});
