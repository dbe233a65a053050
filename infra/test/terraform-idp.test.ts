/**
 * Terraform's own AWS provider drives the local IdP: `init` (offline, from the local provider mirror),
 * `apply`, `plan` (no changes: the IdP returns exactly what the provider wrote), `destroy` of
 * infra/terraform/cognito with the provider's cognito-idp endpoint pointed at the IdP (ADR 0137).
 * Extend the module's inputs here when the module grows; the cycle stays the same.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningIdp, startIdp } from '@app/idp';
import { definition } from '@app/pool-definition';
import {
  CognitoIdentityProviderClient,
  DescribeIdentityProviderCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUserPoolMfaConfigCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awsProviderMirror,
  moduleWithLocalProvider,
  terraformBinary,
  terraformEnv,
} from './terraform-support.ts';

const terraform = terraformBinary();
const mirror = awsProviderMirror();
if (!terraform || !mirror)
  console.log(
    `SKIP terraform apply/plan/destroy against the local IdP: ${
      terraform
        ? 'no local hashicorp/aws provider mirror (/opt/tf-plugins or TF_PLUGIN_DIR)'
        : 'no `terraform` on PATH'
    }.`,
  );

describe.skipIf(!terraform || !mirror)('Terraform AWS provider against the local IdP', () => {
  let dir: string;
  let dataDir: string;
  let idp: RunningIdp;
  let cognito: CognitoIdentityProviderClient;
  let outputs: Record<string, { value: unknown }>;
  const webUrl = 'https://app.example.com/';
  let issuer: string;
  const customAttributes =
    '[{name="tenant",attribute_data_type="String",max=64},{name="level",attribute_data_type="Number",min=0,max=10}]';
  const invitation =
    '{email_subject="Welcome",email_message="User {username}, password {####}",sms_message="{username} {####}"}';
  const recovery = '[{name="verified_email",priority=1},{name="verified_phone_number",priority=2}]';
  // Domain prefixes are global: the IdP's own bootstrap pool already holds the definition's. No
  // triggers: their aws_lambda_permission resources call the Lambda API, which nothing here serves.
  // A function: the OIDC issuer is the mock provider the IdP starts beside it (known once it runs).
  const vars = () => [
    ...['-var', 'deletion_protection=false', '-var', `domain_prefix_override=tf-${process.pid}`],
    ...['-var', 'triggers={}'],
    // Per deployment: the web app's domain; the SPA runs on localhost here (ADR 0142).
    ...['-var', 'passkey_relying_party_id=localhost'],
    // An external OIDC provider (ADR 0162): a real discoverable issuer, so the IdP adds the endpoints
    // it discovers to ProviderDetails as Cognito does, and plan must still show no change (ADR 0196).
    ...['-var', `oidc_provider={name="Google",issuer="${issuer}",client_id="tf-client"}`],
    ...['-var', 'oidc_provider_client_secret=tf-secret'],
    // The pool settings beyond the definition (issue 13): each must come back exactly as written.
    ...['-var', `custom_attributes=${customAttributes}`],
    ...['-var', 'verification_message={email_subject="Your code",email_message="Code: {####}"}'],
    ...['-var', `invitation_message=${invitation}`],
    ...['-var', `account_recovery_mechanisms=${recovery}`],
    ...['-var', 'tags={team="identity",env="test"}'],
    ...[
      '-var',
      'device_configuration={challenge_required_on_new_device=true,device_only_remembered_on_user_prompt=true}',
    ],
    // The deployed web app: the browser's client gets it, the CLI's loopback-only client does not (ADR 0197).
    ...['-var', `web_urls=["${webUrl}"]`],
  ];
  /** Asynchronous on purpose: the IdP answers the provider from this very process. */
  const tf = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; out: string }>((resolve) => {
      const child = spawn('terraform', [...args, '-no-color'], { cwd: dir, env: terraformEnv });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const timer = setTimeout(() => child.kill('SIGTERM'), 300_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, out: `${stdout}\n${stderr}` });
      });
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tf-idp-data-'));
    idp = await startIdp({ dataDir, mockOidc: {} });
    issuer = idp.pool.federation?.mockIssuer ?? '';
    expect(issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    cognito = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: idp.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    // The module has no provider block (its caller configures one): this is that caller.
    dir = moduleWithLocalProvider('tf-idp-', 'us-east-1', { cognitoidp: idp.url });
    const init = await tf('init', '-backend=false', '-input=false', `-plugin-dir=${mirror}`);
    expect(init.status, init.out).toBe(0);
  }, 300_000);
  afterAll(async () => {
    // A failed test must not leave a pool behind in the next run's data folder: both are temporary.
    cognito?.destroy();
    await idp?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies the module: pool with custom attributes, templates, recovery, tags and devices; groups, app clients, OIDC provider, domain, resource server and machine client', {
    timeout: 400_000,
  }, async () => {
    const apply = await tf('apply', '-auto-approve', '-input=false', ...vars());
    expect(apply.status, apply.out).toBe(0);
    outputs = JSON.parse((await tf('output', '-json')).stdout);
    const poolId = outputs.COGNITO_USER_POOL_ID!.value as string;
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool).toMatchObject({
      Name: `${definition.poolName}-prod`,
      UsernameConfiguration: { CaseSensitive: false },
      AccountRecoverySetting: {
        RecoveryMechanisms: [
          { Name: 'verified_email', Priority: 1 },
          { Name: 'verified_phone_number', Priority: 2 },
        ],
      },
      VerificationMessageTemplate: {
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailSubject: 'Your code',
        EmailMessage: 'Code: {####}',
      },
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: false,
        InviteMessageTemplate: {
          EmailSubject: 'Welcome',
          EmailMessage: 'User {username}, password {####}',
          SMSMessage: '{username} {####}',
        },
      },
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: { MinimumLength: definition.passwordPolicy.minimumLength } },
      Domain: `tf-${process.pid}`,
    });
    const schema = new Map(UserPool?.SchemaAttributes?.map((a) => [a.Name, a]));
    expect(schema.get('custom:tenant')).toMatchObject({
      AttributeDataType: 'String',
      Mutable: true,
      StringAttributeConstraints: { MinLength: '0', MaxLength: '64' },
    });
    expect(schema.get('custom:level')).toMatchObject({
      AttributeDataType: 'Number',
      NumberAttributeConstraints: { MinValue: '0', MaxValue: '10' },
    });
    const { Tags } = await cognito.send(new ListTagsForResourceCommand({ ResourceArn: UserPool!.Arn! }));
    expect(Tags).toEqual({ team: 'identity', env: 'test' });
    const mfa = await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
    expect(mfa.MfaConfiguration).toBe(definition.mfaConfiguration);
    expect(mfa.WebAuthnConfiguration).toMatchObject({
      RelyingPartyId: 'localhost',
      UserVerification: definition.passkeys?.userVerification,
    });
    const domain = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: `tf-${process.pid}` }));
    expect(domain.DomainDescription?.UserPoolId).toBe(poolId);

    const [clientIds, authId] = [
      String(outputs.COGNITO_CLIENT_IDS!.value).split(','),
      outputs.COGNITO_AUTH_CLIENT_ID!.value,
    ];
    expect(clientIds).toHaveLength(definition.clients.length);
    const clients = await Promise.all(
      clientIds.map(
        async (ClientId) =>
          (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId })))
            .UserPoolClient!,
      ),
    );
    for (const c of definition.clients) {
      const made = clients.find((x) => x.ClientName === c.clientName)!;
      expect(made.ExplicitAuthFlows?.sort()).toEqual([...c.explicitAuthFlows].sort());
      expect(made.RefreshTokenRotation).toEqual({
        Feature: c.refreshTokenRotation.enabled ? 'ENABLED' : 'DISABLED',
        RetryGracePeriodSeconds: c.refreshTokenRotation.retryGracePeriodSeconds,
      });
      // The hosted-UI clients offer the OIDC provider; the others only the pool's own sign-in.
      expect(made.SupportedIdentityProviders).toEqual(
        c.callbackUrls.length > 0 ? ['COGNITO', 'Google'] : ['COGNITO'],
      );
      if (c.callbackUrls.length > 0) {
        expect(made).toMatchObject({
          AllowedOAuthFlows: ['code'],
          CallbackURLs: c.nativeApp ? c.callbackUrls : [...c.callbackUrls, webUrl],
        });
        expect(made.LogoutURLs ?? []).toEqual(c.nativeApp ? [] : [...c.logoutUrls, webUrl]);
        expect(made.AllowedOAuthScopes?.sort()).toEqual([...c.oauthScopes].sort());
      }
      if (c.generateSecret) expect(made.ClientId).toBe(authId);
      if (c.nativeApp) {
        expect(made.ClientId).toBe(outputs.cli_client_id!.value);
        expect(made.ClientSecret).toBeUndefined();
      }
    }

    // The output CDK takes as existingIdentityProviders when it imports this pool (ADR 0196).
    expect(outputs.identity_providers!.value).toBe('Google');
    const { IdentityProvider } = await cognito.send(
      new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Google' }),
    );
    expect(IdentityProvider).toMatchObject({
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'tf-client',
        client_secret: 'tf-secret',
        oidc_issuer: issuer,
        authorize_scopes: definition.oidcProvider!.authorizeScopes,
        attributes_request_method: 'GET',
        // What Cognito adds from the issuer's discovery document.
        authorize_url: expect.stringMatching(new RegExp(`^${issuer}/`)),
        token_url: expect.stringMatching(new RegExp(`^${issuer}/`)),
        jwks_uri: expect.stringMatching(new RegExp(`^${issuer}/`)),
        attributes_url_add_attributes: 'false',
      },
      AttributeMapping: { username: 'sub', ...definition.oidcProvider!.attributeMapping },
    });

    const server = definition.resourceServers[0]!;
    const rs = await cognito.send(
      new DescribeResourceServerCommand({ UserPoolId: poolId, Identifier: server.identifier }),
    );
    expect(rs.ResourceServer?.Scopes).toEqual(
      server.scopes.map((s) => ({ ScopeName: s.name, ScopeDescription: s.description })),
    );

    // The machine client works: a client-credentials token with the definition's scope.
    const machineId = String(outputs.COGNITO_MACHINE_CLIENT_IDS!.value);
    const secrets = JSON.parse((await tf('output', '-json', 'machine_client_secrets')).stdout);
    const m = definition.machineClients[0]!;
    const token = await fetch(`${idp.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${machineId}:${secrets[m.key]}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: machineId, client_id: machineId, scope: m.scopes.join(' ') });
  });

  it('plans no change right after apply (the IdP returns what the provider wrote)', {
    timeout: 400_000,
  }, async () => {
    const plan = await tf('plan', '-detailed-exitcode', '-input=false', ...vars());
    // 0 = no changes, 2 = changes (the diff is in the output), 1 = error.
    expect(plan.status, plan.out).toBe(0);
  });

  it('destroys everything it created', { timeout: 400_000 }, async () => {
    const poolId = outputs.COGNITO_USER_POOL_ID!.value as string;
    const destroy = await tf('destroy', '-auto-approve', '-input=false', ...vars());
    expect(destroy.status, destroy.out).toBe(0);
    const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(UserPools?.map((p) => p.Id)).toEqual([idp.pool.poolId]);
    expect(UserPools?.map((p) => p.Id)).not.toContain(poolId);
    const domain = await cognito.send(new DescribeUserPoolDomainCommand({ Domain: `tf-${process.pid}` }));
    expect(domain.DomainDescription).toEqual({});
  });
});
