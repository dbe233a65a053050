/** Durability cases for the pool operations of issue 13 (tags, groups, attribute deletion). */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { attr, type Case, newGroup, signIn, unique, user } from './durability-steps.ts';

const poolArn = async (x: Parameters<Case>[0]) =>
  (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('tagged') }))).UserPool!.Arn!;
const tagsOf = async (y: Parameters<Case>[0], arn: string) =>
  (await y.cognito.send(new sdk.ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

export const poolApiCases: Record<string, Case> = {
  async TagResource(x) {
    const arn = await poolArn(x);
    await x.cognito.send(new sdk.TagResourceCommand({ ResourceArn: arn, Tags: { env: 'test' } }));
    return async (y) => expect(await tagsOf(y, arn)).toEqual({ env: 'test' });
  },
  async UntagResource(x) {
    const arn = await poolArn(x);
    await x.cognito.send(new sdk.TagResourceCommand({ ResourceArn: arn, Tags: { env: 'test', a: 'b' } }));
    await x.cognito.send(new sdk.UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    return async (y) => expect(await tagsOf(y, arn)).toEqual({ a: 'b' });
  },
  async UpdateGroup(x) {
    const group = await newGroup(x);
    await x.cognito.send(
      new sdk.UpdateGroupCommand({ UserPoolId: x.idp.pool.poolId, GroupName: group, Precedence: 42 }),
    );
    return async (y) =>
      expect(
        (await y.cognito.send(new sdk.GetGroupCommand({ UserPoolId: y.idp.pool.poolId, GroupName: group })))
          .Group!.Precedence,
      ).toBe(42);
  },
  async AdminDeleteUserAttributes(x) {
    const email = await user(x);
    await x.cognito.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        UserAttributes: [{ Name: 'nickname', Value: 'n' }],
      }),
    );
    await x.cognito.send(
      new sdk.AdminDeleteUserAttributesCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        UserAttributeNames: ['nickname'],
      }),
    );
    return async (y) => expect(await attr(y, email, 'nickname')).toBeUndefined();
  },
  async DeleteUserAttributes(x) {
    const email = await user(x);
    await x.cognito.send(
      new sdk.AdminUpdateUserAttributesCommand({
        UserPoolId: x.idp.pool.poolId,
        Username: email,
        UserAttributes: [{ Name: 'nickname', Value: 'n' }],
      }),
    );
    const { AccessToken } = await signIn(x, email);
    await x.cognito.send(
      new sdk.DeleteUserAttributesCommand({ AccessToken, UserAttributeNames: ['nickname'] }),
    );
    return async (y) => expect(await attr(y, email, 'nickname')).toBeUndefined();
  },
};
