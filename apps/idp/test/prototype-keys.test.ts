/**
 * Names a client chooses — `__proto__`, `constructor`, `toString` — are only ever keys of the IdP's
 * own maps (issue 8, item 13): they are not users, groups, pools or filter attributes unless created
 * as such, and nothing written through them reaches Object.prototype (the IdP runs in this process,
 * so a pollution would show here too).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';

const inherited = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

let t: TestIdp;
let poolId: string;
beforeAll(async () => {
  t = await startTestIdp();
  poolId = t.idp.pool.poolId;
});
afterAll(() => t.close());

/** Status and body of a failed call, as the SDK saw them. */
async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    const err = e as sdk.CognitoIdentityProviderServiceException;
    return { status: err.$metadata.httpStatusCode, type: err.name, message: err.message };
  }
  return { status: 200, type: 'no error', message: '' };
}

function expectPrototypeUntouched() {
  expect(Object.keys(Object.prototype)).toEqual([]);
  const probe = {} as Record<string, unknown>;
  for (const k of ['enabled', 'modifiedAt', 'groups', 'resetCode', 'status'])
    expect(probe[k]).toBeUndefined();
}

describe('prototype names in client input', () => {
  it.each(inherited)(
    'AdminDisableUser(%s) is an unknown user and leaves Object.prototype alone',
    async (name) => {
      expect(
        await failure(
          t.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: poolId, Username: name })),
        ),
      ).toEqual({ status: 400, type: 'UserNotFoundException', message: 'User does not exist.' });
      expectPrototypeUntouched();
    },
  );

  it.each(inherited)('group %s does not exist until it is created', async (name) => {
    expect(
      await failure(t.cognito.send(new sdk.GetGroupCommand({ UserPoolId: poolId, GroupName: name }))),
    ).toEqual({ status: 400, type: 'ResourceNotFoundException', message: 'Group not found.' });
    expect(
      await failure(t.cognito.send(new sdk.DeleteGroupCommand({ UserPoolId: poolId, GroupName: name }))),
    ).toMatchObject({ status: 400, type: 'ResourceNotFoundException' });
  });

  it.each(inherited)('pool %s does not exist', async (name) => {
    expect(await failure(t.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: name })))).toEqual({
      status: 400,
      type: 'ResourceNotFoundException',
      message: `User pool ${name} does not exist.`,
    });
    expect(
      await failure(
        t.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: name, Username: 'someone' })),
      ),
    ).toMatchObject({ status: 400, type: 'ResourceNotFoundException' });
    expectPrototypeUntouched();
  });

  it.each(inherited)('client %s does not exist', async (name) => {
    expect(
      await failure(
        t.cognito.send(new sdk.ForgotPasswordCommand({ ClientId: name, Username: 'a@example.com' })),
      ),
    ).toEqual({
      status: 400,
      type: 'ResourceNotFoundException',
      message: `User pool client ${name} does not exist.`,
    });
  });

  it.each(['constructor', 'toString', '__proto__'])(
    'ListUsers refuses %s as a filter attribute',
    async (name) => {
      expect(
        await failure(
          t.cognito.send(new sdk.ListUsersCommand({ UserPoolId: poolId, Filter: `${name} = "x"` })),
        ),
      ).toEqual({
        status: 400,
        type: 'InvalidParameterException',
        message: `Invalid search attribute: ${name}`,
      });
    },
  );

  it('a pool created over the API has prototype-free maps too', async () => {
    const made = await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: 'proto-check' }));
    const id = made.UserPool!.Id!;
    expect(
      await failure(t.cognito.send(new sdk.GetGroupCommand({ UserPoolId: id, GroupName: 'toString' }))),
    ).toEqual({ status: 400, type: 'ResourceNotFoundException', message: 'Group not found.' });
  });

  it('users and groups named like Object members are ordinary entries, also after a restart', async () => {
    // A pool with plain usernames (not e-mail), where "__proto__" is a name a client may choose.
    const id = (await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: 'proto-names' }))).UserPool!
      .Id!;
    for (const name of ['__proto__', 'constructor']) {
      await t.cognito.send(
        new sdk.AdminCreateUserCommand({
          UserPoolId: id,
          Username: name,
          TemporaryPassword: 'Temporary-Pass-1',
          MessageAction: 'SUPPRESS',
        }),
      );
      await t.cognito.send(new sdk.CreateGroupCommand({ UserPoolId: id, GroupName: name }));
      await t.cognito.send(
        new sdk.AdminAddUserToGroupCommand({ UserPoolId: id, Username: name, GroupName: name }),
      );
    }
    await t.cognito.send(new sdk.AdminDisableUserCommand({ UserPoolId: id, Username: '__proto__' }));
    expectPrototypeUntouched();

    const copy = await mkdtemp(join(tmpdir(), 'idp-proto-'));
    await cp(t.dataDir, copy, { recursive: true });
    const again = await startTestIdp({ dataDir: copy });
    try {
      const proto = await again.cognito.send(
        new sdk.AdminGetUserCommand({ UserPoolId: id, Username: '__proto__' }),
      );
      expect({ name: proto.Username, enabled: proto.Enabled }).toEqual({ name: '__proto__', enabled: false });
      const ctor = await again.cognito.send(
        new sdk.AdminGetUserCommand({ UserPoolId: id, Username: 'constructor' }),
      );
      expect({ name: ctor.Username, enabled: ctor.Enabled }).toEqual({ name: 'constructor', enabled: true });
      const groups = await again.cognito.send(new sdk.ListGroupsCommand({ UserPoolId: id }));
      expect(groups.Groups!.map((g) => g.GroupName)).toEqual(['__proto__', 'constructor']);
      const members = await again.cognito.send(
        new sdk.AdminListGroupsForUserCommand({ UserPoolId: id, Username: '__proto__' }),
      );
      expect(members.Groups!.map((g) => g.GroupName)).toEqual(['__proto__']);
      expect(
        await failure(
          again.cognito.send(new sdk.AdminGetUserCommand({ UserPoolId: id, Username: 'toString' })),
        ),
      ).toEqual({ status: 400, type: 'UserNotFoundException', message: 'User does not exist.' });
      expect(
        await failure(
          again.cognito.send(new sdk.GetGroupCommand({ UserPoolId: id, GroupName: 'hasOwnProperty' })),
        ),
      ).toMatchObject({ status: 400, type: 'ResourceNotFoundException' });
      expectPrototypeUntouched();
    } finally {
      await again.close();
      await rm(copy, { recursive: true, force: true });
    }
  });
});
