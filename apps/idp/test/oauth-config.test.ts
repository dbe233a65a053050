import {
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolDomainCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';

let t: TestIdp;
let poolId: string;
beforeAll(async () => {
  t = await startTestIdp();
  poolId = (await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'oauth-config' }))).UserPool!.Id!;
});
afterAll(() => t.close());

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: Error) => `${e.name}: ${e.message}`,
  );

describe('user pool domains', () => {
  it('creates, describes, updates and deletes a prefix domain; DescribeUserPool names it', async () => {
    const created = await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-app-auth', ManagedLoginVersion: 2 }),
    );
    expect(created.ManagedLoginVersion).toBe(2);
    expect(created.CloudFrontDomain).toBeUndefined();
    const described = await t.cognito.send(new DescribeUserPoolDomainCommand({ Domain: 'my-app-auth' }));
    expect(described.DomainDescription).toMatchObject({
      UserPoolId: poolId,
      Domain: 'my-app-auth',
      Status: 'ACTIVE',
      ManagedLoginVersion: 2,
    });
    const pool = await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(pool.UserPool!.Domain).toBe('my-app-auth');

    const updated = await t.cognito.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-app-auth', ManagedLoginVersion: 1 }),
    );
    expect(updated.ManagedLoginVersion).toBe(1);

    await t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-app-auth' }));
    const gone = await t.cognito.send(new DescribeUserPoolDomainCommand({ Domain: 'my-app-auth' }));
    expect(gone.DomainDescription).toEqual({});
    expect((await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!.Domain).toBe(
      undefined,
    );
  });

  it("answers Cognito's errors for bad names, taken domains, a second domain and unknown ones", async () => {
    expect(
      await failure(
        t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'Bad_Name' })),
      ),
    ).toBe(
      'InvalidParameterException: The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
    );
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'taken-one' }));
    const otherPool = (await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'other' }))).UserPool!.Id!;
    expect(
      await failure(
        t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: otherPool, Domain: 'taken-one' })),
      ),
    ).toBe('InvalidParameterException: Domain already associated with another user pool.');
    expect(
      await failure(
        t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'second-one' })),
      ),
    ).toBe('InvalidParameterException: User pool already has a domain configured.');
    expect(
      await failure(
        t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: otherPool, Domain: 'taken-one' })),
      ),
    ).toBe('InvalidParameterException: No such domain or user pool exists.');
    expect(
      await failure(
        t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: 'us-east-1_nope', Domain: 'x-y' })),
      ),
    ).toBe('ResourceNotFoundException: User pool us-east-1_nope does not exist.');
    await t.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'taken-one' }));
  });

  it('takes a custom domain with a certificate and returns its CloudFront target', async () => {
    const pool = (await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'custom' }))).UserPool!.Id!;
    const created = await t.cognito.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: pool,
        Domain: 'auth.example.com',
        CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      }),
    );
    expect(created.CloudFrontDomain).toMatch(/\.cloudfront\.net$/);
    const described = await t.cognito.send(new DescribeUserPoolDomainCommand({ Domain: 'auth.example.com' }));
    expect(described.DomainDescription!.CloudFrontDistribution).toBe(created.CloudFrontDomain);
    expect(
      (await t.cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool }))).UserPool!.CustomDomain,
    ).toBe('auth.example.com');
  });
});

describe('resource servers', () => {
  it('creates, describes, lists (paged), replaces and deletes', async () => {
    const scopes = [
      { ScopeName: 'read', ScopeDescription: 'Read items' },
      { ScopeName: 'write', ScopeDescription: 'Write items' },
    ];
    const created = await t.cognito.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'https://api.example.com',
        Name: 'api',
        Scopes: scopes,
      }),
    );
    expect(created.ResourceServer).toEqual({
      UserPoolId: poolId,
      Identifier: 'https://api.example.com',
      Name: 'api',
      Scopes: scopes,
    });
    await t.cognito.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'reports', Name: 'reports' }),
    );
    const described = await t.cognito.send(
      new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'https://api.example.com' }),
    );
    expect(described.ResourceServer!.Scopes).toEqual(scopes);

    const page1 = await t.cognito.send(new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1 }));
    expect(page1.ResourceServers).toHaveLength(1);
    const page2 = await t.cognito.send(
      new ListResourceServersCommand({ UserPoolId: poolId, MaxResults: 1, NextToken: page1.NextToken }),
    );
    expect([page1, page2].flatMap((p) => p.ResourceServers!.map((r) => r.Identifier)).sort()).toEqual([
      'https://api.example.com',
      'reports',
    ]);

    const updated = await t.cognito.send(
      new UpdateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'reports',
        Name: 'reports v2',
        Scopes: [{ ScopeName: 'export', ScopeDescription: 'Export reports' }],
      }),
    );
    expect(updated.ResourceServer).toMatchObject({ Name: 'reports v2', Scopes: [{ ScopeName: 'export' }] });

    await t.cognito.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: 'reports' }));
    expect(
      await failure(
        t.cognito.send(new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: 'reports' })),
      ),
    ).toBe('ResourceNotFoundException: Resource server reports does not exist.');
  });

  it('refuses a duplicate identifier, a bad scope name and a scope without description', async () => {
    await t.cognito.send(
      new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'dup', Name: 'dup' }),
    );
    expect(
      await failure(
        t.cognito.send(
          new CreateResourceServerCommand({ UserPoolId: poolId, Identifier: 'dup', Name: 'dup' }),
        ),
      ),
    ).toBe(`InvalidParameterException: dup already exists in pool ${poolId}`);
    expect(
      await failure(
        t.cognito.send(
          new CreateResourceServerCommand({
            UserPoolId: poolId,
            Identifier: 'bad-scope',
            Name: 'bad',
            Scopes: [{ ScopeName: 'a/b', ScopeDescription: 'slash' }],
          }),
        ),
      ),
    ).toMatch(
      /^InvalidParameterException: 1 validation error detected: Value 'a\/b' at 'scopes.1.member.scopeName'/,
    );
  });
});

describe('client OAuth settings', () => {
  beforeAll(async () => {
    await t.cognito.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'items',
        Name: 'items',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read items' }],
      }),
    );
  });

  it('stores and returns every OAuth field', async () => {
    const created = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'spa',
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'items/read'],
        CallbackURLs: ['http://localhost:5173/', 'myapp://callback', 'https://app.example.com/cb'],
        LogoutURLs: ['http://localhost:5173/'],
        DefaultRedirectURI: 'http://localhost:5173/',
        SupportedIdentityProviders: ['COGNITO'],
      }),
    );
    const described = await t.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.UserPoolClient!.ClientId! }),
    );
    expect(described.UserPoolClient).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'items/read'],
      CallbackURLs: ['http://localhost:5173/', 'myapp://callback', 'https://app.example.com/cb'],
      LogoutURLs: ['http://localhost:5173/'],
      DefaultRedirectURI: 'http://localhost:5173/',
      SupportedIdentityProviders: ['COGNITO'],
    });
    // An update that leaves them out clears them, like every other client setting.
    const updated = await t.cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.UserPoolClient!.ClientId! }),
    );
    expect(updated.UserPoolClient!.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(updated.UserPoolClient!.CallbackURLs).toBeUndefined();
  });

  it("answers Cognito's exceptions for unknown scopes and client_credentials misuse", async () => {
    const create = (extra: Record<string, unknown>) =>
      failure(
        t.cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'x', ...extra })),
      );
    expect(await create({ AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['Cognito'] })).toBe(
      'ScopeDoesNotExistException: Invalid scope requested: Cognito',
    );
    expect(await create({ AllowedOAuthScopes: ['items/write'] })).toBe(
      'ScopeDoesNotExistException: Invalid scope requested: items/write',
    );
    expect(await create({ AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'] })).toBe(
      'InvalidParameterException: AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
    );
    expect(
      await create({ AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['items/read'] }),
    ).toBe(
      'InvalidOAuthFlowException: client_credentials flow can not be selected if client does not have a client secret.',
    );
    expect(
      await create({
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials', 'code'],
        AllowedOAuthScopes: ['items/read'],
      }),
    ).toBe(
      'InvalidOAuthFlowException: client_credentials flow can not be selected along with code flow or implicit flow.',
    );
    expect(await create({ SupportedIdentityProviders: ['Google'] })).toBe(
      `InvalidParameterException: The provider Google does not exist for User Pool ${poolId}`,
    );
    expect(await create({ CallbackURLs: ['http://app.example.com/'] })).toMatch(
      /^InvalidParameterException: CallbackURLs/,
    );
    expect(
      await create({
        CallbackURLs: ['https://a.example.com/'],
        DefaultRedirectURI: 'https://b.example.com/',
      }),
    ).toMatch(/^InvalidParameterException: DefaultRedirectURI/);
  });

  it('creates a machine client: a secret, client_credentials only, custom scopes', async () => {
    const created = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'machine',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['items/read'],
      }),
    );
    expect(created.UserPoolClient).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['items/read'],
    });
    expect(created.UserPoolClient!.ClientSecret).toBeDefined();
  });
});
