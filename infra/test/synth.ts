import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UserPoolDefinition } from '@app/pool-definition';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../src/app.ts';

/**
 * The context combinations docs/deployment.md names. `zone` is the recommended production shape
 * (the stack issues the ALB certificate in a Route 53 zone); `certificate` brings its own ACM
 * certificates and custom web domain; `trial` is the explicit plain-HTTP opt-in.
 */
export const contexts = {
  zone: { hostedZoneId: 'Z0123456789EXAMPLE', hostedZoneName: 'example.com' },
  certificate: {
    certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
    apiDomainName: 'api.example.com',
    webDomainName: 'app.example.com',
    webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000',
    cloudFrontWebAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/app-edge/abc',
  },
  trial: { allowHttpOrigin: 'true' },
} satisfies Record<string, Record<string, string>>;

/**
 * Synthesizes the real app (same entry as `cdk synth`) into a temp dir, offline: no account, so no
 * context lookups happen. cdk-nag runs via validateScope so findings can be asserted, not thrown.
 */
export function synth(context: Record<string, unknown> = contexts.zone, definition?: UserPoolDefinition) {
  delete process.env.CDK_DEFAULT_ACCOUNT;
  const outdir = mkdtempSync(join(tmpdir(), 'infra-synth-'));
  try {
    const built = buildApp({ context, outdir, definition, nag: false });
    const assembly = built.app.synth();
    const template = Template.fromStack(built.stack);
    const edgeTemplate = Template.fromStack(built.edgeWaf);
    const registryTemplate = Template.fromStack(built.registry);
    const nag = new AwsSolutionsChecks(built.app).validateScope(built.app);
    // aws-cdk-lib's built-in CloudFormation validator runs in app.synth() and only warns: its report
    // is read here so a test can require zero violations (the CLI test turns it off to save its cost).
    const reportFile = join(outdir, 'validation-report.json');
    const cfnViolations = existsSync(reportFile)
      ? (
          JSON.parse(readFileSync(reportFile, 'utf8')) as {
            pluginReports: { pluginName: string; violations: { ruleName: string; description: string }[] }[];
          }
        ).pluginReports.flatMap((r) =>
          r.violations.map((v) => `${r.pluginName} ${v.ruleName}: ${v.description}`),
        )
      : undefined;
    // Source.jsonData writes config.json as an asset with <<marker:...>> placeholders for tokens.
    const configDir = readdirSync(outdir).find((d) => existsSync(join(outdir, d, 'config.json')));
    const webConfigAsset = configDir
      ? (JSON.parse(readFileSync(join(outdir, configDir, 'config.json'), 'utf8')) as Record<string, string>)
      : undefined;
    return {
      ...built,
      assembly,
      template,
      edgeTemplate,
      registryTemplate,
      nag,
      webConfigAsset,
      cfnViolations,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export type Synth = ReturnType<typeof synth>;

/** Resources of one type as [logicalId, Properties] pairs. */
export function resourcesOf(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.findResources(type)).map(([id, r]) => [
    id,
    (r as { Properties: Record<string, unknown> }).Properties,
  ]);
}

/** The one resource of a type; fails the test if there is not exactly one. */
export function onlyResource(template: Template, type: string): [string, Record<string, unknown>] {
  const all = resourcesOf(template, type);
  const [first] = all;
  if (all.length !== 1 || !first) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return first;
}

/** A policy statement with the Roles of the policy that holds it, as JSON. */
export interface PolicyStatement {
  Action: string | string[];
  Resource: unknown;
  roles: string;
}

/** Every IAM policy statement in the template that `keep` accepts, each with its policy's Roles. */
export function policyStatements(
  template: Template,
  keep: (st: { Action: string | string[]; Resource: unknown }) => boolean,
): PolicyStatement[] {
  return resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, p]) =>
    (p.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement.filter(
      keep,
    ).map((st) => ({ ...st, roles: JSON.stringify(p.Roles) })),
  );
}

/** The logical id of the task role of the ECS task definition running the container `name`. */
export function taskRoleOf(template: Template, name: string): string | undefined {
  const tasks = resourcesOf(template, 'AWS::ECS::TaskDefinition');
  return JSON.stringify(
    tasks.find(([, t]) => JSON.stringify(t.ContainerDefinitions).includes(`"Name":"${name}"`))?.[1]
      .TaskRoleArn,
  ).match(/"(\w+TaskRole\w*)"/)?.[1];
}
