import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import { buildApp } from '../src/app.ts';
import { contexts, synth } from './synth.ts';

type Report = ReturnType<AwsSolutionsChecks['validateScope']>;

function describeViolations(report: Report): string {
  return report.violations
    .map(
      (v) =>
        `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.locations?.join(',') ?? r.resourceLogicalId).join(' ')}`,
    )
    .join('\n');
}

/** Every acknowledgement recorded in the construct tree, with its reason. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  const found: { path: string; id: string; reason: string }[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      // Recorded by Validations.acknowledge() as { [ruleId]: reason }.
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        found.push({ path: c.node.path, id, reason: String(reason ?? '') });
      }
    }
  }
  return found;
}

describe('cdk-nag AwsSolutions', () => {
  it('reports findings on a deliberately bad stack (the check is live)', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    const sg = new ec2.SecurityGroup(stack, 'Open', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-EC23');
  });

  it('an unacknowledged finding fails the synth of the real app (as `cdk synth` would)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'nag-fail-'));
    try {
      const { app, stack } = buildApp({ outdir, nag: true, context: contexts.zone });
      const sg = new ec2.SecurityGroup(stack, 'Oops', { vpc: stack.database.instance.vpc });
      sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh from anywhere');
      expect(() => app.synth()).toThrow(/AwsSolutions-EC23/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('default (prod, hosted zone) configuration: zero unacknowledged errors or warnings, every acknowledgement justified', () => {
    const s = synth();
    expect(describeViolations(s.nag)).toBe('');
    expect(s.nag.success).toBe(true);
    const acks = acknowledgements(s.app).filter((a) => a.id.includes('AwsSolutions-'));
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) expect(a.reason.length, `${a.id} at ${a.path} needs a reason`).toBeGreaterThan(30);
  });

  it('production-with-domains configuration: HTTPS listener, edge WAF attached, still zero findings', () => {
    const s = synth({
      ...contexts.certificate,
      envName: 'staging',
      multiAz: 'false',
      threatProtection: 'AUDIT',
    });
    expect(describeViolations(s.nag)).toBe('');
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: Match.stringLikeRegexp('^arn:aws:acm:eu-west-1') }],
    });
    // Only CloudFront reaches the ALB, so there is no port-80 redirect listener to keep.
    s.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    s.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['app.example.com'],
        WebACLId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/app-edge/abc',
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021' }),
      }),
    });
    s.template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web-spa',
      // The SPA's hosted-page callback and sign-out URLs on its domain (hostedUiAppUrls, ADR 0140).
      CallbackURLs: Match.arrayWith(['https://app.example.com/auth/callback']),
      LogoutURLs: Match.arrayWith(['https://app.example.com/']),
    });
    const env = JSON.stringify(s.template.toJSON());
    expect(env).toContain('"Name":"WEB_ORIGIN","Value":"https://app.example.com"');
  });

  it('the staging command docs/deployment.md documents synthesizes with cdk-nag on (as `cdk synth` runs it)', () => {
    const docs = readFileSync(join(repoRoot, 'docs', 'deployment.md'), 'utf8');
    const command = docs.match(/<!-- staging-command -->\s*```sh\n([\s\S]*?)```/)?.[1];
    expect(command, 'docs/deployment.md marks its staging command').toBeTruthy();
    const context: Record<string, string> = {};
    for (const m of (command ?? '').matchAll(/-c\s+([A-Za-z]+)=(\S+)/g)) context[m[1] ?? ''] = m[2] ?? '';
    expect(context.envName).toBe('staging');
    // Placeholders the reader fills in get valid sample values; everything else is taken as written.
    const samples: Record<string, string> = {
      '<ZONE_ID>': 'Z0123456789EXAMPLE',
      '<your-zone.example>': 'example.com',
    };
    for (const [k, v] of Object.entries(context)) {
      context[k] = Object.entries(samples).reduce((acc, [p, sample]) => acc.replaceAll(p, sample), v);
    }
    const outdir = mkdtempSync(join(tmpdir(), 'nag-staging-'));
    try {
      const { app } = buildApp({ outdir, nag: true, context });
      expect(() => app.synth()).not.toThrow();
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it('the plain-HTTP trial (allowHttpOrigin=true) has zero unacknowledged findings too', () => {
    const s = synth({ ...contexts.trial, envName: 'trial', multiAz: 'false', threatProtection: 'OFF' });
    expect(describeViolations(s.nag)).toBe('');
  });
});
