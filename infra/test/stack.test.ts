import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_CALLBACK_URL, clientByKey, definition } from '@app/pool-definition';
import { spaSecurityHeaders } from '@app/stack/wiring';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, specFor } from '../../docker/bundle.ts';
import { apiEnvVars, localOnlyEnvVars, secretEnvVars, waivedEnvVars } from '../src/service/api-env.ts';
import { onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

type ContainerDef = {
  Name: string;
  Command?: string[];
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  PortMappings?: { ContainerPort: number }[];
  LogConfiguration?: { LogDriver: string };
};

let s: Synth;
beforeAll(() => {
  s = synth();
});

/** The attachments bucket's origin as the CSP spells it (its name is made from env, account, region). */
const filesOrigin =
  'https://app-attachments-prod-{Ref:AWS::AccountId}-{Ref:AWS::Region}.s3.eu-west-1.{Ref:AWS::URLSuffix}';

/** The CloudFront CSP as text, with the hosted-UI domain's deploy-time Ref spelled `{Ref:<id>}`. */
function cloudFrontCsp(): string {
  const [, policy] = onlyResource(s.template, 'AWS::CloudFront::ResponseHeadersPolicy');
  const value = (policy as { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, never> } })
    .ResponseHeadersPolicyConfig.SecurityHeadersConfig as Record<string, Record<string, unknown>>;
  const csp = value.ContentSecurityPolicy?.ContentSecurityPolicy as
    | string
    | { 'Fn::Join': [string, (string | { Ref: string })[]] };
  if (typeof csp === 'string') return csp;
  return csp['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : `{Ref:${p.Ref}}`)).join('');
}

function containers(): ContainerDef[] {
  return resourcesOf(s.template, 'AWS::ECS::TaskDefinition').flatMap(
    ([, p]) => p.ContainerDefinitions as ContainerDef[],
  );
}

describe('data', () => {
  it("passes aws-cdk-lib's CloudFormation template validator with zero violations (it only warns at synth)", () => {
    expect(s.cfnViolations, 'synth wrote validation-report.json').toBeDefined();
    expect(s.cfnViolations).toEqual([]);
  });

  it('RDS Postgres: encrypted, backed up, deletion-protected, private, Multi-AZ by default', () => {
    s.template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'postgres',
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
      PubliclyAccessible: false,
      MultiAZ: true,
    });
    s.template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot' });
    s.template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
  });

  it('RDS log exports land in stack-owned log groups with retention', () => {
    const [, db] = onlyResource(s.template, 'AWS::RDS::DBInstance');
    // The identifier is made at deploy time from the stack id (ADR 0220): the groups use the same one.
    const id = db.DBInstanceIdentifier;
    expect(JSON.stringify(id)).toContain('AWS::StackId');
    for (const kind of db.EnableCloudwatchLogsExports as string[]) {
      s.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: { 'Fn::Join': ['', ['/aws/rds/instance/', id, `/${kind}`]] },
        RetentionInDays: 30,
      });
    }
  });

  it('RDS master credentials are generated into Secrets Manager', () => {
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
    });
  });

  it('Valkey Serverless: isolated subnets, only the API tasks may connect, RBAC user with a Secrets Manager password', () => {
    expect(resourcesOf(s.template, 'AWS::ElastiCache::ReplicationGroup')).toEqual([]);
    const [, cache] = onlyResource(s.template, 'AWS::ElastiCache::ServerlessCache');
    expect(cache).toMatchObject({
      Engine: 'valkey',
      MajorEngineVersion: '8',
      CacheUsageLimits: { DataStorage: { Unit: 'GB', Maximum: 5 }, ECPUPerSecond: { Maximum: 100000 } },
      SnapshotRetentionLimit: 1,
    });
    expect(cache.ConnectionType).toBeUndefined(); // vpc, never public
    const isolated = resourcesOf(s.template, 'AWS::EC2::Subnet')
      .filter(([, sn]) => JSON.stringify(sn.Tags).includes('"Isolated"'))
      .map(([id]) => ({ Ref: id }));
    expect(isolated.length).toBeGreaterThanOrEqual(2);
    expect(cache.SubnetIds).toEqual(isolated);

    // The cache's security group admits exactly the API service's group, on the primary and reader ports.
    const [cacheSg] = (cache.SecurityGroupIds as { 'Fn::GetAtt': [string, string] }[]).map(
      (r) => r['Fn::GetAtt'][0],
    );
    const [, service] = onlyResource(s.template, 'AWS::ECS::Service');
    const apiSg = JSON.stringify(
      (service.NetworkConfiguration as { AwsvpcConfiguration: { SecurityGroups: unknown[] } })
        .AwsvpcConfiguration.SecurityGroups,
    );
    const ingress = resourcesOf(s.template, 'AWS::EC2::SecurityGroupIngress').filter(
      ([, r]) => JSON.stringify(r.GroupId) === JSON.stringify({ 'Fn::GetAtt': [cacheSg, 'GroupId'] }),
    );
    expect(
      ingress.map(([, r]) => [r.FromPort, r.ToPort, `[${JSON.stringify(r.SourceSecurityGroupId)}]`]),
    ).toEqual([[6379, 6380, apiSg]]);
    const [, sg] = resourcesOf(s.template, 'AWS::EC2::SecurityGroup').find(([id]) => id === cacheSg) ?? [
      '',
      {},
    ];
    expect(sg.SecurityGroupIngress).toBeUndefined();

    // RBAC: the mandatory "default" user is off; "api" signs in with a password by dynamic reference.
    const users = new Map(resourcesOf(s.template, 'AWS::ElastiCache::User').map(([, u]) => [u.UserName, u]));
    expect([...users.keys()].sort()).toEqual(['api', 'default']);
    expect(users.get('default')).toMatchObject({
      Engine: 'valkey',
      AccessString: 'off -@all',
      NoPasswordRequired: true,
    });
    expect(users.get('api')?.AccessString).toMatch(/^on /);
    expect(JSON.stringify(users.get('api')?.Passwords)).toMatch(/\{\{resolve:secretsmanager:/);
    const [, group] = onlyResource(s.template, 'AWS::ElastiCache::UserGroup');
    expect(group.UserIds).toEqual([users.get('default')?.UserId, users.get('api')?.UserId]);
    expect(cache.UserGroupId).toEqual(group.UserGroupId);
  });
});

describe('service', () => {
  it('ALB target group health-checks the API port', () => {
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8000,
      TargetType: 'ip',
    });
  });

  it('ALB idle timeout is 60 s (the API keep-alive is set above it)', () => {
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'idle_timeout.timeout_seconds', Value: '60' }]),
    });
  });

  it("sets every variable of the API's own env schema on the task, or waives it with a reason", () => {
    // apiEnvVars is apps/api's schema (not a copy): a variable the API gains fails here until the
    // task definition sets it or api-env.ts waives it.
    expect(apiEnvVars).toContain('COGNITO_USER_POOL_ID');
    for (const [name, reason] of Object.entries(waivedEnvVars)) {
      expect(apiEnvVars, `${name} is waived but the API does not read it`).toContain(name);
      expect(reason?.length, `${name} is waived with a reason`).toBeGreaterThan(10);
    }
  });

  it('maps every API env var onto the service task: config as environment, secrets from Secrets Manager', () => {
    const api = containers().find((c) => c.Name === 'api');
    expect(api).toBeDefined();
    const env = new Map((api?.Environment ?? []).map((e) => [e.Name, e.Value]));
    const secrets = new Map((api?.Secrets ?? []).map((e) => [e.Name, e.ValueFrom]));
    for (const name of apiEnvVars) {
      if (localOnlyEnvVars.includes(name)) {
        expect(env.has(name) || secrets.has(name), `${name} must not be set on AWS`).toBe(false);
      } else if ((secretEnvVars as readonly string[]).includes(name)) {
        expect(secrets.has(name), `${name} from Secrets Manager`).toBe(true);
        expect(env.has(name), `${name} must not be plain`).toBe(false);
      } else {
        expect(env.has(name), `${name} in environment`).toBe(true);
      }
    }
    expect([...env.keys(), ...secrets.keys()].sort()).toEqual(
      apiEnvVars.filter((n) => !localOnlyEnvVars.includes(n)).sort(),
    );
    expect(env.get('PORT')).toBe('8000');
    expect(env.get('NODE_ENV')).toBe('production');
    expect(env.get('AUTH_FLOW')).toBe('srp');
    expect(JSON.stringify(env.get('COGNITO_JWKS_URI'))).toContain('/.well-known/jwks.json');
    expect(api?.PortMappings?.[0]?.ContainerPort).toBe(8000);
    expect(api?.LogConfiguration?.LogDriver).toBe('awslogs');
  });

  it('has a migration task definition with the same configuration running the migrate entry', () => {
    const migrate = containers().find((c) => c.Name === 'migrate');
    const api = containers().find((c) => c.Name === 'api');
    expect(migrate?.Command).toEqual(['node', '/app/migrate.mjs']);
    // The same configuration plus what it needs to create the API's login (APP_DB_USER/PASSWORD).
    expect((migrate?.Secrets ?? []).map((x) => x.Name).sort()).toEqual(
      [...(api?.Secrets ?? []).map((x) => x.Name), 'APP_DB_PASSWORD'].sort(),
    );
    expect((migrate?.Environment ?? []).map((x) => x.Name).sort()).toEqual(
      [...(api?.Environment ?? []).map((x) => x.Name), 'APP_DB_USER'].sort(),
    );
  });

  it('the service connects as the least-privilege app_rw; only the migration task is the master user', () => {
    const migrate = containers().find((c) => c.Name === 'migrate');
    const api = containers().find((c) => c.Name === 'api');
    const secretOf = (c: ContainerDef | undefined, name: string) =>
      JSON.stringify(c?.Secrets?.find((x) => x.Name === name)?.ValueFrom);
    const [appUrl] = resourcesOf(s.template, 'AWS::SecretsManager::Secret').find(([id]) =>
      id.startsWith('DatabaseAppUrlSecret'),
    ) ?? [''];
    const [masterUrl] = resourcesOf(s.template, 'AWS::SecretsManager::Secret').find(([id]) =>
      id.startsWith('DatabaseUrlSecret'),
    ) ?? [''];
    expect(secretOf(api, 'DATABASE_URL')).toContain(appUrl);
    expect(secretOf(migrate, 'DATABASE_URL')).toContain(masterUrl);
    expect(migrate?.Environment?.find((e) => e.Name === 'APP_DB_USER')?.Value).toBe('app_rw');
    expect(secretOf(migrate, 'APP_DB_PASSWORD')).toContain('DatabaseAppUserSecret');
    const appUrlText = JSON.stringify(
      resourcesOf(s.template, 'AWS::SecretsManager::Secret').find(([id]) => id === appUrl)?.[1],
    );
    expect(appUrlText).toContain('postgres://app_rw:');
  });

  it('runs files the API image really contains (bundle entries copied to /app)', () => {
    const spec = specFor('api');
    expect(readFileSync(join(repoRoot, 'docker', 'api.Dockerfile'), 'utf8')).toMatch(
      /COPY --from=build \/src\/dist\/api\/ \/app\//,
    );
    const migrate = containers().find((c) => c.Name === 'migrate');
    const file = migrate?.Command?.[1]?.replace('/app/', '').replace('.mjs', '');
    expect(Object.keys(spec.entries)).toContain(file);
    const taskJson = JSON.stringify(resourcesOf(s.template, 'AWS::ECS::TaskDefinition'));
    expect(taskJson).toContain('/app/healthcheck.mjs');
    expect(spec.extras).toContain('healthcheck.mjs');
  });

  it('runs on Fargate in private subnets with a rollback circuit breaker', () => {
    s.template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it('autoscales on CPU and on ALB request count per target', () => {
    const metrics = resourcesOf(s.template, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(
      ([, p]) =>
        (
          p.TargetTrackingScalingPolicyConfiguration as {
            PredefinedMetricSpecification: { PredefinedMetricType: string };
          }
        ).PredefinedMetricSpecification.PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
  });

  it('alarms on 5xx, response time, unhealthy hosts and CPU, into an encrypted topic', () => {
    const metricNames = resourcesOf(s.template, 'AWS::CloudWatch::Alarm').map(([, p]) => p.MetricName);
    for (const m of [
      'HTTPCode_Target_5XX_Count',
      'HTTPCode_ELB_5XX_Count',
      'TargetResponseTime',
      'UnHealthyHostCount',
      'CPUUtilization',
    ]) {
      expect(metricNames).toContain(m);
    }
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('keeps logs with a retention period', () => {
    const groups = resourcesOf(s.template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(0);
    for (const [, g] of groups) expect(g.RetentionInDays).toBe(30);
  });

  it('has an immutable, scanned ECR repository in its own stack (pushed to before the service exists)', () => {
    s.template.resourceCountIs('AWS::ECR::Repository', 0);
    s.registryTemplate.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
    });
  });
});

describe('edge', () => {
  it('regional WAF with a per-viewer rate-based block rule, associated with the ALB', () => {
    s.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Action: { Block: Match.anyValue() },
          Statement: {
            RateBasedStatement: Match.objectLike({ Limit: 1000, EvaluationWindowSec: 300 }),
          },
        }),
      ]),
    });
    const [albId] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    s.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: albId } });
  });

  it('a CLOUDFRONT-scope WAF with the same rate rule lives in its own us-east-1 stack', () => {
    expect(s.edgeWaf.region).toBe('us-east-1');
    s.edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) } }),
      ]),
    });
  });

  it('serves the SPA from a private bucket through CloudFront with OAC, security headers and /api/* to the ALB', () => {
    s.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    s.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    s.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.objectLike({ Override: true }),
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    s.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*' })],
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
      }),
    });
  });

  it('CSP lets the SPA reach exactly its region’s Cognito endpoint and its hosted UI, with valid source expressions', () => {
    const csp = cloudFrontCsp();
    expect(csp).toContain("frame-ancestors 'none'");
    const [domain] = onlyResource(s.template, 'AWS::Cognito::UserPoolDomain');
    expect(csp).toContain(
      `connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com https://{Ref:${domain}}.auth.eu-west-1.amazoncognito.com ${filesOrigin};`,
    );
    // The attachments bucket's regional host: uploads are PUT there, thumbnails shown from there.
    const files = filesOrigin;
    expect(csp).toContain(` ${files};`);
    expect(csp).toContain(`img-src 'self' data: ${files};`);
    // A wildcard is valid only as the leftmost host label (CSP3 host-source grammar).
    for (const host of csp.match(/https:\/\/[^\s;'"]+/g) ?? []) expect(host).not.toMatch(/https:\/\/[^*]+\*/);
  });

  it('CloudFront sends the SPA the same security headers as its local static server (packages/stack)', () => {
    const [, policy] = onlyResource(s.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = (
      policy as { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: Record<string, never> } }
    ).ResponseHeadersPolicyConfig.SecurityHeadersConfig as Record<string, Record<string, unknown>>;
    const [domain] = onlyResource(s.template, 'AWS::Cognito::UserPoolDomain');
    const spa = spaSecurityHeaders({
      region: 'eu-west-1',
      apiUrl: '',
      hostedUi: { url: `https://{Ref:${domain}}.auth.eu-west-1.amazoncognito.com` },
      filesUrl: filesOrigin,
    });
    expect(Object.keys(spa).sort()).toEqual([
      'content-security-policy',
      'referrer-policy',
      'x-content-type-options',
      'x-frame-options',
    ]);
    expect(cloudFrontCsp()).toBe(spa['content-security-policy']);
    expect(config.ReferrerPolicy?.ReferrerPolicy).toBe(spa['referrer-policy']);
    expect(config.FrameOptions?.FrameOption).toBe(spa['x-frame-options']);
    expect(spa['x-content-type-options']).toBe('nosniff');
    expect(config.ContentTypeOptions).toEqual({ Override: true });
  });

  it('SPA fallback sends extension-less paths to index.html and leaves files alone', async () => {
    const [[, fn]] = resourcesOf(s.template, 'AWS::CloudFront::Function') as [
      [string, { FunctionCode: string }],
    ];
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (e: unknown) => { uri: string };
    expect(handler({ request: { uri: '/notes/42' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/assets/app.js' } }).uri).toBe('/assets/app.js');
    expect(handler({ request: { uri: '/config.json' } }).uri).toBe('/config.json');
  });

  it('deploys /config.json with the keys the SPA reads, without pruning the synced build', () => {
    const [, deploy] = onlyResource(s.template, 'Custom::CDKBucketDeployment');
    expect(deploy.Prune).toBe(false);
    expect(Object.keys(s.webConfigAsset ?? {}).sort()).toEqual([
      'apiUrl',
      'cliClientId',
      'clientId',
      'filesUrl',
      'hostedUi',
      'region',
      'signInOptions',
      'userPoolId',
    ]);
    // Each marker resolves to the right deploy-time value: pool, public client, region, CDN domain.
    const markers = (deploy.SourceMarkers as Record<string, unknown>[])[0] ?? {};
    const resolve = (v: string | undefined) => JSON.stringify(markers[(v ?? '').replace('https://', '')]);
    const clientRef = (key: string) =>
      resourcesOf(s.template, 'AWS::Cognito::UserPoolClient').find(
        ([, p]) => p.ClientName === clientByKey(definition, key).clientName,
      )?.[0];
    const webClient = clientRef('web');
    const [poolId] = onlyResource(s.template, 'AWS::Cognito::UserPool');
    expect(resolve(s.webConfigAsset?.userPoolId)).toBe(JSON.stringify({ Ref: poolId }));
    expect(resolve(s.webConfigAsset?.clientId)).toBe(JSON.stringify({ Ref: webClient }));
    // The command-line client's id, for `cognito-stack login --web --web-url <WebUrl>` (ADR 0197).
    expect(resolve(s.webConfigAsset?.cliClientId)).toBe(JSON.stringify({ Ref: clientRef('cli') }));
    expect(resolve(s.webConfigAsset?.region)).toBe(JSON.stringify({ Ref: 'AWS::Region' }));
    expect(s.webConfigAsset?.apiUrl).toMatch(/^https:\/\//);
    expect(resolve(s.webConfigAsset?.apiUrl)).toContain('DomainName');
    // "Sign in with the hosted page": the pool's own domain, the CDN's callback and sign-out URLs.
    const hosted = s.webConfigAsset?.hostedUi as unknown as {
      url: string;
      scopes: string[];
      redirectSignIn: string[];
      redirectSignOut: string[];
    };
    const [domain] = onlyResource(s.template, 'AWS::Cognito::UserPoolDomain');
    expect(JSON.stringify(markers)).toContain(JSON.stringify({ Ref: domain }));
    expect(hosted.url).toMatch(/^https:\/\/.+\.auth\..+\.amazoncognito\.com$/);
    expect(hosted.scopes).toEqual(['openid', 'email', 'profile', 'aws.cognito.signin.user.admin']);
    const cdn = resolve(s.webConfigAsset?.apiUrl);
    expect(hosted.redirectSignIn).toHaveLength(1);
    expect(resolve(hosted.redirectSignIn[0]!.replace(/\/auth\/callback$/, ''))).toBe(cdn);
    expect(resolve(hosted.redirectSignOut[0]!.replace(/\/$/, ''))).toBe(cdn);
    expect(hosted.redirectSignIn[0]).toMatch(/\/auth\/callback$/);
    expect(hosted.redirectSignOut).toEqual([expect.stringMatching(/^https:\/\/<<marker:[^>]+>>\/$/)]);
  });
});

describe('hosted UI', () => {
  it('adds the deployed web URL to the public client callbacks, not to the backend or the CLI client', () => {
    const clients = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient').map(([, p]) => p);
    const named = (key: string) =>
      clients.find((c) => c.ClientName === clientByKey(definition, key).clientName);
    const web = named('web');
    const backend = named('backend');
    // The SPA's callback route and its root for sign-out, on the CDN's domain (hostedUiAppUrls).
    expect(JSON.stringify(web?.CallbackURLs)).toMatch(/DomainName"\]\},"\/auth\/callback"/);
    expect(JSON.stringify(web?.LogoutURLs)).toMatch(/DomainName"\]\},"\/"/);
    expect(web?.AllowedOAuthFlows).toEqual(['code']);
    expect(backend?.CallbackURLs).toBeUndefined();
    // The command-line client: public, code + PKCE only, exactly its own loopback callback (ADR 0197).
    expect(named('cli')).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [CLI_CALLBACK_URL],
      LogoutURLs: [],
    });
  });
});

describe('secrets', () => {
  it('has no plaintext secret anywhere in the template', () => {
    const json = JSON.stringify(s.template.toJSON());
    // No connection string with an inline password, no literal password/token properties.
    expect(json).not.toMatch(/(postgres|rediss?):\/\/[^"{}]*:[^"{}@]+@/);
    for (const [, secret] of resourcesOf(s.template, 'AWS::SecretsManager::Secret')) {
      if (secret.SecretString === undefined) continue;
      expect(typeof secret.SecretString, 'SecretString must be a reference, not a literal').not.toBe(
        'string',
      );
      const text = JSON.stringify(secret.SecretString);
      expect(text).toMatch(/resolve:secretsmanager|ClientSecret/);
    }
    for (const c of containers()) {
      for (const e of c.Environment ?? []) {
        expect(e.Name).not.toMatch(/SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/);
      }
    }
    for (const [, db] of resourcesOf(s.template, 'AWS::RDS::DBInstance')) {
      expect(JSON.stringify(db.MasterUserPassword)).toMatch(/resolve:secretsmanager/);
    }
  });
});
