/** Durability cases for pool, client, group, domain and resource-server operations. */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import {
  type Case,
  describeDomain,
  errorName,
  newClient,
  newGroup,
  poolWithDomain,
  resourceServer,
  settle,
  unique,
} from './durability-steps.ts';

export const configCases: Record<string, Case> = {
  async CreateUserPool(x) {
    const made = await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }));
    const id = made.UserPool!.Id!;
    return async (y) =>
      expect((await y.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!.Id).toBe(
        id,
      );
  },
  async UpdateUserPool(x) {
    const id = (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }))).UserPool!
      .Id!;
    await settle(x);
    await x.cognito.send(
      new sdk.UpdateUserPoolCommand({
        UserPoolId: id,
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      }),
    );
    return async (y) =>
      expect(
        (await y.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!
          .UserAttributeUpdateSettings,
      ).toEqual({ AttributesRequireVerificationBeforeUpdate: ['email'] });
  },
  async AddCustomAttributes(x) {
    const id = (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }))).UserPool!
      .Id!;
    await settle(x);
    await x.cognito.send(
      new sdk.AddCustomAttributesCommand({
        UserPoolId: id,
        CustomAttributes: [{ Name: 'tier', AttributeDataType: 'String' }],
      }),
    );
    return async (y) =>
      expect(
        (
          await y.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id }))
        ).UserPool!.SchemaAttributes?.some((a) => a.Name === 'custom:tier'),
      ).toBe(true);
  },
  async DeleteUserPool(x) {
    const id = (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('pool') }))).UserPool!
      .Id!;
    await settle(x);
    await x.cognito.send(new sdk.DeleteUserPoolCommand({ UserPoolId: id }));
    return async (y) =>
      expect(await errorName(y.cognito.send(new sdk.DescribeUserPoolCommand({ UserPoolId: id })))).toBe(
        'ResourceNotFoundException',
      );
  },
  async CreateUserPoolClient(x) {
    const id = await newClient(x);
    return async (y) =>
      expect(
        (
          await y.cognito.send(
            new sdk.DescribeUserPoolClientCommand({ UserPoolId: x.idp.pool.poolId, ClientId: id }),
          )
        ).UserPoolClient!.ClientId,
      ).toBe(id);
  },
  async UpdateUserPoolClient(x) {
    const id = await newClient(x);
    const name = unique('renamed');
    await x.cognito.send(
      new sdk.UpdateUserPoolClientCommand({
        UserPoolId: x.idp.pool.poolId,
        ClientId: id,
        ClientName: name,
      }),
    );
    return async (y) =>
      expect(
        (
          await y.cognito.send(
            new sdk.DescribeUserPoolClientCommand({ UserPoolId: x.idp.pool.poolId, ClientId: id }),
          )
        ).UserPoolClient!.ClientName,
      ).toBe(name);
  },
  async DeleteUserPoolClient(x) {
    const id = await newClient(x);
    await settle(x);
    await x.cognito.send(
      new sdk.DeleteUserPoolClientCommand({ UserPoolId: x.idp.pool.poolId, ClientId: id }),
    );
    return async (y) =>
      expect(
        await errorName(
          y.cognito.send(
            new sdk.DescribeUserPoolClientCommand({ UserPoolId: x.idp.pool.poolId, ClientId: id }),
          ),
        ),
      ).toBe('ResourceNotFoundException');
  },
  async CreateGroup(x) {
    const name = await newGroup(x);
    return async (y) =>
      expect(
        (await y.cognito.send(new sdk.GetGroupCommand({ UserPoolId: x.idp.pool.poolId, GroupName: name })))
          .Group!.GroupName,
      ).toBe(name);
  },
  async DeleteGroup(x) {
    const name = await newGroup(x);
    await settle(x);
    await x.cognito.send(new sdk.DeleteGroupCommand({ UserPoolId: x.idp.pool.poolId, GroupName: name }));
    return async (y) =>
      expect(
        await errorName(
          y.cognito.send(new sdk.GetGroupCommand({ UserPoolId: x.idp.pool.poolId, GroupName: name })),
        ),
      ).toBe('ResourceNotFoundException');
  },
  async CreateUserPoolDomain(x) {
    const [id, Domain] = await poolWithDomain(x);
    return async (y) => expect((await describeDomain(y, Domain)).UserPoolId).toBe(id);
  },
  async UpdateUserPoolDomain(x) {
    const [id, Domain] = await poolWithDomain(x);
    await x.cognito.send(
      new sdk.UpdateUserPoolDomainCommand({ UserPoolId: id, Domain, ManagedLoginVersion: 2 }),
    );
    return async (y) => expect((await describeDomain(y, Domain)).ManagedLoginVersion).toBe(2);
  },
  async DeleteUserPoolDomain(x) {
    const [id, Domain] = await poolWithDomain(x);
    await settle(x);
    await x.cognito.send(new sdk.DeleteUserPoolDomainCommand({ UserPoolId: id, Domain }));
    return async (y) => expect(await describeDomain(y, Domain)).toEqual({});
  },
  async CreateResourceServer(x) {
    const Identifier = await resourceServer(x);
    return async (y) =>
      expect(
        (
          await y.cognito.send(
            new sdk.DescribeResourceServerCommand({ UserPoolId: x.idp.pool.poolId, Identifier }),
          )
        ).ResourceServer!.Identifier,
      ).toBe(Identifier);
  },
  async UpdateResourceServer(x) {
    const Identifier = await resourceServer(x);
    await x.cognito.send(
      new sdk.UpdateResourceServerCommand({
        UserPoolId: x.idp.pool.poolId,
        Identifier,
        Name: 'renamed',
      }),
    );
    return async (y) =>
      expect(
        (
          await y.cognito.send(
            new sdk.DescribeResourceServerCommand({ UserPoolId: x.idp.pool.poolId, Identifier }),
          )
        ).ResourceServer!.Name,
      ).toBe('renamed');
  },
  async DeleteResourceServer(x) {
    const Identifier = await resourceServer(x);
    await settle(x);
    await x.cognito.send(new sdk.DeleteResourceServerCommand({ UserPoolId: x.idp.pool.poolId, Identifier }));
    return async (y) =>
      expect(
        await errorName(
          y.cognito.send(
            new sdk.DescribeResourceServerCommand({ UserPoolId: x.idp.pool.poolId, Identifier }),
          ),
        ),
      ).toBe('ResourceNotFoundException');
  },
};
