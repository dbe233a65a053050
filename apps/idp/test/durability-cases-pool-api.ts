/** Durability cases for the pool operations of issue 13 (tags, groups, attribute deletion). */
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { attr, type Case, errorName, newGroup, signIn, unique, user } from './durability-steps.ts';

const poolArn = async (x: Parameters<Case>[0]) =>
  (await x.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: unique('tagged') }))).UserPool!.Arn!;
const tagsOf = async (y: Parameters<Case>[0], arn: string) =>
  (await y.cognito.send(new sdk.ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;

const oidc = {
  client_id: 'c',
  client_secret: 's',
  authorize_scopes: 'openid',
  oidc_issuer: 'http://127.0.0.1:9/issuer',
  attributes_request_method: 'GET',
};
async function provider(x: Parameters<Case>[0]) {
  const ProviderName = unique('idp').slice(0, 30);
  await x.cognito.send(
    new sdk.CreateIdentityProviderCommand({
      UserPoolId: x.idp.pool.poolId,
      ProviderName,
      ProviderType: 'OIDC',
      ProviderDetails: oidc,
    }),
  );
  return ProviderName;
}
const describeProvider = (y: Parameters<Case>[0], ProviderName: string) =>
  y.cognito.send(new sdk.DescribeIdentityProviderCommand({ UserPoolId: y.idp.pool.poolId, ProviderName }));

/** Links a new identity of a new provider to a new user; returns the user's e-mail and the ids. */
async function linked(x: Parameters<Case>[0]) {
  const [email, ProviderName] = [await user(x), await provider(x)];
  const subject = unique('subject');
  await x.cognito.send(
    new sdk.AdminLinkProviderForUserCommand({
      UserPoolId: x.idp.pool.poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: email },
      SourceUser: { ProviderName, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
    }),
  );
  return { email, ProviderName, subject };
}

export const poolApiCases: Record<string, Case> = {
  async AdminLinkProviderForUser(x) {
    const { email, subject } = await linked(x);
    return async (y) => expect(await attr(y, email, 'identities')).toContain(subject);
  },
  async AdminDisableProviderForUser(x) {
    const { email, ProviderName, subject } = await linked(x);
    await x.cognito.send(
      new sdk.AdminDisableProviderForUserCommand({
        UserPoolId: x.idp.pool.poolId,
        User: { ProviderName, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: subject },
      }),
    );
    return async (y) => expect(await attr(y, email, 'identities')).toBeUndefined();
  },
  async CreateIdentityProvider(x) {
    const name = await provider(x);
    return async (y) => expect((await describeProvider(y, name)).IdentityProvider!.ProviderType).toBe('OIDC');
  },
  async UpdateIdentityProvider(x) {
    const name = await provider(x);
    await x.cognito.send(
      new sdk.UpdateIdentityProviderCommand({
        UserPoolId: x.idp.pool.poolId,
        ProviderName: name,
        IdpIdentifiers: ['d'],
      }),
    );
    return async (y) =>
      expect((await describeProvider(y, name)).IdentityProvider!.IdpIdentifiers).toEqual(['d']);
  },
  async DeleteIdentityProvider(x) {
    const name = await provider(x);
    await x.cognito.send(
      new sdk.DeleteIdentityProviderCommand({ UserPoolId: x.idp.pool.poolId, ProviderName: name }),
    );
    return async (y) => expect(await errorName(describeProvider(y, name))).toBe('ResourceNotFoundException');
  },
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
