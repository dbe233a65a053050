import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';

let t: TestIdp;
let UserPoolId: string;
beforeAll(async () => {
  t = await startTestIdp();
  UserPoolId = (await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: 'federated' }))).UserPool!.Id!;
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

const oidcDetails = {
  client_id: 'local-client',
  client_secret: 'local-secret',
  authorize_scopes: 'openid email profile',
  oidc_issuer: 'http://127.0.0.1:9/issuer',
  attributes_request_method: 'GET',
};

describe('identity providers', () => {
  it('creates, describes, lists, finds by identifier, updates and deletes an OIDC provider', async () => {
    const created = await t.cognito.send(
      new sdk.CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'MockOIDC',
        ProviderType: 'OIDC',
        ProviderDetails: oidcDetails,
        AttributeMapping: { email: 'email', name: 'name' },
        IdpIdentifiers: ['example.com'],
      }),
    );
    expect(created.IdentityProvider).toMatchObject({
      UserPoolId,
      ProviderName: 'MockOIDC',
      ProviderType: 'OIDC',
      ProviderDetails: oidcDetails,
      // Cognito maps the provider's sub to the username unless told otherwise.
      AttributeMapping: { email: 'email', name: 'name', username: 'sub' },
      IdpIdentifiers: ['example.com'],
    });
    const described = await t.cognito.send(
      new sdk.DescribeIdentityProviderCommand({ UserPoolId, ProviderName: 'MockOIDC' }),
    );
    expect(described.IdentityProvider).toEqual(created.IdentityProvider);
    const byId = await t.cognito.send(
      new sdk.GetIdentityProviderByIdentifierCommand({ UserPoolId, IdpIdentifier: 'example.com' }),
    );
    expect(byId.IdentityProvider!.ProviderName).toBe('MockOIDC');
    const listed = await t.cognito.send(new sdk.ListIdentityProvidersCommand({ UserPoolId, MaxResults: 10 }));
    expect(listed.Providers!.map((p) => [p.ProviderName, p.ProviderType])).toEqual([['MockOIDC', 'OIDC']]);
    const updated = await t.cognito.send(
      new sdk.UpdateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'MockOIDC',
        IdpIdentifiers: ['corp'],
      }),
    );
    expect(updated.IdentityProvider).toMatchObject({
      ProviderDetails: oidcDetails,
      IdpIdentifiers: ['corp'],
    });
    // A client may name it in SupportedIdentityProviders once it exists.
    const client = await t.cognito.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'federated',
        SupportedIdentityProviders: ['COGNITO', 'MockOIDC'],
      }),
    );
    expect(client.UserPoolClient!.SupportedIdentityProviders).toEqual(['COGNITO', 'MockOIDC']);
    await t.cognito.send(new sdk.DeleteIdentityProviderCommand({ UserPoolId, ProviderName: 'MockOIDC' }));
    expect(
      await failure(
        t.cognito.send(new sdk.DescribeIdentityProviderCommand({ UserPoolId, ProviderName: 'MockOIDC' })),
      ),
    ).toBe('ResourceNotFoundException: Identity provider MockOIDC does not exist.');
  });

  it('refuses what Cognito refuses and keeps what it had', async () => {
    const create = (input: Partial<sdk.CreateIdentityProviderCommandInput>) =>
      failure(
        t.cognito.send(
          new sdk.CreateIdentityProviderCommand({
            UserPoolId,
            ProviderName: 'Corp',
            ProviderType: 'OIDC',
            ProviderDetails: oidcDetails,
            ...input,
          }),
        ),
      );
    expect(await create({ ProviderType: 'LDAP' as never })).toBe(
      "InvalidParameterException: 1 validation error detected: Value 'LDAP' at 'providerType' failed to satisfy constraint: Member must satisfy enum value set: [SAML, Facebook, Google, LoginWithAmazon, SignInWithApple, OIDC]",
    );
    expect(await create({ ProviderDetails: { ...oidcDetails, oidc_issuer: '' } })).toBe(
      'InvalidParameterException: ProviderDetails for OIDC needs oidc_issuer.',
    );
    expect(await create({ ProviderName: 'bad_name' })).toMatch(
      /^InvalidParameterException: 1 validation error detected: Value 'bad_name' at 'providerName'/,
    );
    await t.cognito.send(
      new sdk.CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'Corp',
        ProviderType: 'OIDC',
        ProviderDetails: oidcDetails,
      }),
    );
    expect(await create({})).toBe(
      'DuplicateProviderException: A provider with the name Corp already exists in this user pool.',
    );
    expect(
      await failure(
        t.cognito.send(
          new sdk.CreateUserPoolClientCommand({
            UserPoolId,
            ClientName: 'x',
            SupportedIdentityProviders: ['Nope'],
          }),
        ),
      ),
    ).toBe(`InvalidParameterException: The provider Nope does not exist for User Pool ${UserPoolId}`);
    expect(
      await failure(
        t.cognito.send(
          new sdk.GetIdentityProviderByIdentifierCommand({ UserPoolId, IdpIdentifier: 'nowhere' }),
        ),
      ),
    ).toBe('ResourceNotFoundException: Identity provider with identifier nowhere does not exist.');
  });
});
