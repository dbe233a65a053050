import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definition } from '@app/pool-definition';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import { defaults, InfraConfigError, readConfig } from '../src/config.ts';
import {
  connectionBudget,
  deployOverlap,
  estimatedMaxConnections,
  migrationConnections,
  reservedConnections,
} from '../src/data/connection-budget.ts';
import { scalingTargets } from '../src/service/api-service.ts';
import { namesBlockingRetry, type TemplateJson } from './retry-safety.ts';
import { contexts, onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

const from = (ctx: Record<string, unknown>) => readConfig((k) => ({ ...contexts.zone, ...ctx })[k]);

describe('connection budget (ADR 0087)', () => {
  it('the defaults fit a t4g.micro even while a deploy doubles the tasks at maximum scale', () => {
    const cfg = from({});
    const { peak, available } = connectionBudget({ ...cfg, maxConnections: cfg.dbMaxConnections ?? 0 });
    expect(cfg.dbMaxConnections).toBe(estimatedMaxConnections('t4g.micro'));
    expect(peak).toBe(6 * 2 * 5 + 2);
    expect(peak).toBeLessThanOrEqual(available);
  });

  it('refuses a configuration whose deploy peak exceeds max_connections, naming the numbers', () => {
    expect(() => from({ apiMaxCount: '10' })).toThrow(InfraConfigError);
    expect(() => from({ apiMaxCount: '10' })).toThrow(/10 × 2 .* dbPoolMax 5 \+ migration = 102 > 81/);
    expect(() => from({ dbPoolMax: '10' })).toThrow(/connection budget exceeded/);
    // A bigger instance (or a measured max_connections) makes room.
    expect(from({ apiMaxCount: '10', dbInstanceClass: 'r6g.large' }).apiMaxCount).toBe(10);
    expect(from({ apiMaxCount: '10', dbMaxConnections: '200' }).dbMaxConnections).toBe(200);
  });

  it('docs/deployment.md states the budget, the alarm, the per-class estimates and the scaling target the code uses', () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'deployment.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## 13. Scale out'));
    const d = defaults;
    const max = estimatedMaxConnections(d.dbInstanceClass) ?? 0;
    const { peak, available } = connectionBudget({ ...d, maxConnections: max });
    expect(section).toContain(
      `\`${d.apiMaxCount} × ${deployOverlap} × ${d.dbPoolMax} + ${migrationConnections} = ${peak}\` of the \`${max} − ${reservedConnections} = ${available}\``,
    );
    expect(section).toContain(`alarm fires at 80 % of ${available}`);
    expect(docs).toContain(`(${d.dbInstanceClass.replace(/^db\./, '')}: ${max})`);
    // Every "<class> (≈N connections by the formula" is the estimate the budget check uses.
    const claims = [...section.matchAll(/dbInstanceClass=([\w.]+)` \(≈(\d+) connections by the formula/g)];
    expect(claims.length).toBeGreaterThan(0);
    for (const [, cls, n] of claims) expect(Number(n), String(cls)).toBe(estimatedMaxConnections(cls ?? ''));
    // The 10× row's peak, for the task count that row names.
    const ten = /`apiMaxCount=(\d+)`.*?the 10× peak is `(\d+) × 2 × (\d+) \+ 2 = (\d+)`/s.exec(section);
    expect(ten?.[1]).toBe(ten?.[2]);
    expect(
      connectionBudget({ apiMaxCount: Number(ten?.[2]), dbPoolMax: Number(ten?.[3]), maxConnections: 0 })
        .peak,
    ).toBe(Number(ten?.[4]));
    // The default load is the autoscaling request target: per task per second, and for 2 and 6 tasks.
    const perTask = scalingTargets.requestsPerTaskPerMinute / 60;
    expect(section).toContain(
      `${scalingTargets.requestsPerTaskPerMinute} ALB requests a\nminute (${perTask} requests/s) or ${scalingTargets.cpuPercent} % CPU`,
    );
    expect(section).toContain(
      `sized for about ${d.apiDesiredCount * perTask} requests/s, scaling out to about ${d.apiMaxCount * perTask}/s`,
    );
    expect(docs).toContain(
      `(CPU ${scalingTargets.cpuPercent} %, ${scalingTargets.requestsPerTaskPerMinute} requests/target/min)`,
    );
  });

  it('asks for dbMaxConnections when it cannot estimate the class', () => {
    expect(() => from({ dbInstanceClass: 'x2g.large' })).toThrow(/dbMaxConnections/);
  });
});

describe('operations in the synthesized stack', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth({ ...contexts.zone, emailFrom: 'no-reply@example.com', sesVerifiedDomain: 'example.com' });
  });

  it('passes DB_POOL_MAX from context to the service and the migration task', () => {
    for (const [, task] of resourcesOf(s.template, 'AWS::ECS::TaskDefinition')) {
      const env = (task.ContainerDefinitions as { Environment: { Name: string; Value: string }[] }[])[0]
        ?.Environment;
      expect(env?.find((e) => e.Name === 'DB_POOL_MAX')?.Value).toBe('5');
    }
  });

  it('tells the API the cache is a Redis Cluster (Serverless), and REDIS_URL signs in as its api user', () => {
    const [cacheId] = onlyResource(s.template, 'AWS::ElastiCache::ServerlessCache');
    const [, task] = resourcesOf(s.template, 'AWS::ECS::TaskDefinition').find(
      ([id]) => !id.includes('Migrat'),
    ) ?? ['', {}];
    const env = (task.ContainerDefinitions as { Environment: { Name: string; Value: string }[] }[])[0]
      ?.Environment;
    expect(env?.find((e) => e.Name === 'REDIS_CLUSTER')?.Value).toBe('true');
    const url = resourcesOf(s.template, 'AWS::SecretsManager::Secret')
      .map(([, secret]) => JSON.stringify(secret.SecretString ?? ''))
      .find((text) => text.includes('rediss://'));
    expect(url).toContain('rediss://api:');
    expect(url).toContain(`"Fn::GetAtt":["${cacheId}","Endpoint.Address"]`);
    expect(url).toContain(`"Fn::GetAtt":["${cacheId}","Endpoint.Port"]`);
  });

  it("pins the RDS server CA, and the API image trusts RDS's bundle for the verify-full URL", () => {
    const [, db] = onlyResource(s.template, 'AWS::RDS::DBInstance');
    expect(db.CACertificateIdentifier).toBe('rds-ca-rsa2048-g1');
    const dockerfile = readFileSync(join(repoRoot, 'docker', 'api.Dockerfile'), 'utf8');
    const bundle =
      /^ADD .*https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem (\S+)$/m.exec(
        dockerfile,
      )?.[1];
    expect(bundle).toBeTruthy();
    expect(dockerfile).toContain(`NODE_EXTRA_CA_CERTS=${bundle}`);
  });

  it('alarms on database connections at 80% of what the API may use', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DatabaseConnections',
      Namespace: 'AWS/RDS',
      Threshold: Math.floor((84 - 3) * 0.8),
    });
  });

  it('rolls a deployment back when its 5xx or unhealthy-target alarm fires', () => {
    const [, service] = onlyResource(s.template, 'AWS::ECS::Service');
    const alarms = (
      service.DeploymentConfiguration as {
        Alarms: { AlarmNames: string[]; Enable: boolean; Rollback: boolean };
      }
    ).Alarms;
    expect(alarms.Enable).toBe(true);
    expect(alarms.Rollback).toBe(true);
    const metricOf = new Map(
      resourcesOf(s.template, 'AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.MetricName]),
    );
    const watched = (alarms.AlarmNames as unknown as { Ref: string }[]).map((n) => metricOf.get(n.Ref));
    expect(watched.sort()).toEqual(['HTTPCode_Target_5XX_Count', 'UnHealthyHostCount']);
  });

  it('sends Cognito mail through SES from the context address', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'no-reply@example.com',
        SourceArn: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':ses:eu-west-1:',
              { Ref: 'AWS::AccountId' },
              ':identity/example.com',
            ],
          ],
        },
      },
    });
  });

  it('gives the hosted UI a prefix unique to this stack (definition prefix, env, a piece of the stack id)', () => {
    const [, domain] = onlyResource(s.template, 'AWS::Cognito::UserPoolDomain');
    const text = JSON.stringify(domain.Domain);
    expect(text).toContain(`"${definition.domainPrefix}-prod"`);
    expect(text).toContain('AWS::StackId');
  });

  it('a failed first deploy leaves no resource under a name its retry reuses (ADR 0220)', () => {
    for (const template of [s.template, s.registryTemplate, s.edgeTemplate]) {
      expect(namesBlockingRetry(template.toJSON() as TemplateJson)).toEqual([]);
    }
    // What the rollback keeps and deletes is real: the database (deletion protection) survives it
    // with the log groups it depends on, whose names therefore carry the stack id; the
    // attachments bucket keeps its fixed name but is deleted with the deploy that created it.
    const [dbId, db] = onlyResource(s.template, 'AWS::RDS::DBInstance');
    expect(db.DeletionProtection).toBe(true);
    const dbJson = s.template.toJSON().Resources[dbId] as { DependsOn?: string[] };
    const groups = resourcesOf(s.template, 'AWS::Logs::LogGroup').filter(([id]) =>
      dbJson.DependsOn?.includes(id),
    );
    expect(groups).toHaveLength(2);
    for (const [, g] of groups) expect(JSON.stringify(g.LogGroupName)).toContain('AWS::StackId');
    const [bucketId] =
      resourcesOf(s.template, 'AWS::S3::Bucket').find(([id]) => id.startsWith('Attachments')) ?? [];
    expect(s.template.toJSON().Resources[bucketId ?? ''].DeletionPolicy).toBe('RetainExceptOnCreate');
  });

  it('the retry check finds what blocked a retry before (the check can fail)', () => {
    const before: TemplateJson = {
      Resources: {
        // The attachments bucket as it was: a fixed name, retained even by a create rollback.
        Files: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'app-files-prod' },
          DeletionPolicy: 'Retain',
        },
        // A deletion-protected instance with a fixed identifier, and the fixed-name group it needs.
        Db: {
          Type: 'AWS::RDS::DBInstance',
          Properties: { DBInstanceIdentifier: 'app-prod-postgres', DeletionProtection: true },
          DeletionPolicy: 'Snapshot',
          DependsOn: ['DbLogs'],
        },
        DbLogs: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { LogGroupName: '/aws/rds/instance/app-prod-postgres/postgresql' },
        },
        // Deleted by the rollback: fine with a fixed name.
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmName: 'app-prod-5xx' } },
        Kept: {
          Type: 'AWS::S3::Bucket',
          Properties: { BucketName: 'app-kept' },
          DeletionPolicy: 'RetainExceptOnCreate',
        },
      },
    };
    expect(namesBlockingRetry(before).map((b) => b.split(' ')[0])).toEqual(['Files', 'Db', 'DbLogs']);
  });
});

describe('an existing pool (the Terraform module) instead of a new one (ADR 0089)', () => {
  const imported = {
    existingUserPoolId: 'eu-west-1_AbCdEf123',
    existingWebClientId: 'webclient0000000000000000a',
    existingBackendClientId: 'backendclient000000000000b',
    existingBackendClientSecretArn:
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cognito-backend-client-AbCdEf',
    // Terraform's hosted_ui_domain and identity_providers outputs.
    existingHostedUiUrl: 'https://app-users-auth-prod.auth.eu-west-1.amazoncognito.com',
    existingIdentityProviders: 'Google,Okta',
  };
  let s: Synth;
  beforeAll(() => {
    s = synth({ ...contexts.zone, ...imported });
  });

  it('creates no Cognito resource and wires the API to the given pool, clients and secret', () => {
    for (const type of [
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolDomain',
    ]) {
      s.template.resourceCountIs(type, 0);
    }
    const api = resourcesOf(s.template, 'AWS::ECS::TaskDefinition')
      .flatMap(
        ([, t]) =>
          t.ContainerDefinitions as {
            Name: string;
            Environment: { Name: string; Value: unknown }[];
            Secrets: { Name: string; ValueFrom: unknown }[];
          }[],
      )
      .find((c) => c.Name === 'api');
    const env = new Map(api?.Environment.map((e) => [e.Name, e.Value]));
    expect(env.get('COGNITO_USER_POOL_ID')).toBe(imported.existingUserPoolId);
    expect(env.get('COGNITO_CLIENT_IDS')).toBe(
      `${imported.existingWebClientId},${imported.existingBackendClientId}`,
    );
    expect(env.get('COGNITO_AUTH_CLIENT_ID')).toBe(imported.existingBackendClientId);
    const secret = api?.Secrets.find((x) => x.Name === 'COGNITO_AUTH_CLIENT_SECRET');
    expect(secret?.ValueFrom).toBe(imported.existingBackendClientSecretArn);
  });

  it('grants the task role its Cognito actions on the imported pool', () => {
    const statement = resourcesOf(s.template, 'AWS::IAM::Policy')
      .flatMap(
        ([, p]) => (p.PolicyDocument as { Statement: { Action: string[]; Resource: unknown }[] }).Statement,
      )
      .find((st) => [st.Action].flat().some((a) => a.startsWith('cognito-idp:')));
    expect(JSON.stringify(statement?.Resource)).toContain(`userpool/${imported.existingUserPoolId}`);
  });

  it("config.json offers Terraform's managed login and its providers, so the SPA shows their buttons", () => {
    expect(s.webConfigAsset?.hostedUi).toMatchObject({
      url: imported.existingHostedUiUrl,
      identityProviders: ['Google', 'Okta'],
    });
  });

  it('has no unacknowledged cdk-nag finding', () => {
    expect(s.nag.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('providers need the managed login; a bad provider name is refused', () => {
    const { existingHostedUiUrl: _url, ...withoutUrl } = imported;
    expect(() => from(withoutUrl)).toThrow(/existingIdentityProviders.*existingHostedUiUrl/);
    expect(() => from({ ...imported, existingIdentityProviders: 'Google,COGNITO' })).toThrow(
      /existingIdentityProviders.*"COGNITO"/,
    );
    expect(
      from({ ...withoutUrl, existingIdentityProviders: '' }).existingUserPool?.identityProviders,
    ).toEqual([]);
  });

  it('needs all four keys, and refuses pool settings that belong to Terraform', () => {
    expect(() => from({ existingUserPoolId: imported.existingUserPoolId })).toThrow(/existingWebClientId/);
    expect(() => from({ ...imported, domainPrefix: 'mine' })).toThrow(/Terraform/);
    expect(() => from({ ...imported, passkeyRelyingPartyId: 'app.example.com' })).toThrow(
      /passkeyRelyingPartyId.*Terraform/,
    );
  });
});
