import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { InfraConfigError } from '../src/config.ts';
import { originVerifyHeader } from '../src/edge/origin-verify.ts';
import { viewerIpHeader } from '../src/edge/web-hosting.ts';
import { originFacingPrefixListName } from '../src/service/origin-facing.ts';
import { contexts, onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

type Origin = {
  Id: string;
  DomainName: unknown;
  CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols?: string[] };
  OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
};
type Behavior = {
  PathPattern: string;
  TargetOriginId: string;
  FunctionAssociations?: { FunctionARN: unknown }[];
};
type Ingress = { CidrIp?: string; CidrIpv6?: string; SourcePrefixListId?: unknown; FromPort?: number };

function distribution(s: Synth) {
  const [, d] = onlyResource(s.template, 'AWS::CloudFront::Distribution');
  return (d as { DistributionConfig: { Origins: Origin[]; CacheBehaviors: Behavior[] } }).DistributionConfig;
}

function apiOrigin(s: Synth): Origin {
  const config = distribution(s);
  const behavior = config.CacheBehaviors.find((b) => b.PathPattern === '/api/*');
  const origin = config.Origins.find((o) => o.Id === behavior?.TargetOriginId);
  if (!origin) throw new Error('no /api/* origin');
  return origin;
}

/** Every ingress rule of the ALB's security group, inline or as separate resources. */
function albIngress(s: Synth): Ingress[] {
  const [albId, alb] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const sgRef = JSON.stringify((alb.SecurityGroups as unknown[])[0]);
  const sgId = (JSON.parse(sgRef) as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const [, sg] = resourcesOf(s.template, 'AWS::EC2::SecurityGroup').find(([id]) => id === sgId) ?? [];
  const separate = resourcesOf(s.template, 'AWS::EC2::SecurityGroupIngress')
    .filter(([, r]) => JSON.stringify(r.GroupId).includes(sgId))
    .map(([, r]) => r as Ingress);
  expect(albId).toBeTruthy();
  return [...((sg?.SecurityGroupIngress as Ingress[] | undefined) ?? []), ...separate];
}

describe('production with a hosted zone (the recommended shape)', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth(contexts.zone);
  });

  it('CloudFront reaches the API by the name its certificate covers, over TLS 1.2, never the *.elb name', () => {
    const origin = apiOrigin(s);
    expect(origin.DomainName).toBe('api.example.com');
    expect(origin.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    expect(origin.CustomOriginConfig?.OriginSSLProtocols).toEqual(['TLSv1.2']);
  });

  it('issues that certificate in the zone and points the name at the ALB', () => {
    s.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789EXAMPLE' }],
    });
    const [certId] = onlyResource(s.template, 'AWS::CertificateManager::Certificate');
    const [albId] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const [, record] = onlyResource(s.template, 'AWS::Route53::RecordSet');
    expect(record.Name).toBe('api.example.com.');
    expect(record.HostedZoneId).toBe('Z0123456789EXAMPLE');
    expect(JSON.stringify(record.AliasTarget)).toContain(albId);
    s.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: certId } }],
    });
  });

  it('the ALB admits only CloudFront’s origin-facing prefix list, on the HTTPS port', () => {
    const rules = albIngress(s);
    expect(rules).toHaveLength(1);
    for (const r of rules) {
      expect(r.CidrIp, 'no address range may reach the ALB').toBeUndefined();
      expect(r.CidrIpv6).toBeUndefined();
    }
    expect(rules[0]?.FromPort).toBe(443);
    const [lookupId, lookup] = onlyResource(s.template, 'Custom::AWS');
    expect(rules[0]?.SourcePrefixListId).toEqual({ 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] });
    const create = JSON.stringify(lookup.Create);
    expect(create).toContain('describeManagedPrefixLists');
    expect(create).toContain(originFacingPrefixListName);
  });

  it('the regional WAF rate rule counts viewers (a header CloudFront sets from the connection), not edge servers', () => {
    const [, acl] = onlyResource(s.template, 'AWS::WAFv2::WebACL');
    const rate = (acl.Rules as { Statement: { RateBasedStatement?: Record<string, unknown> } }[]).find(
      (r) => r.Statement.RateBasedStatement,
    )?.Statement.RateBasedStatement;
    expect(rate?.AggregateKeyType).toBe('FORWARDED_IP');
    expect(rate?.ForwardedIPConfig).toEqual({ HeaderName: viewerIpHeader, FallbackBehavior: 'MATCH' });

    // The /api/* behaviour runs a viewer-request function that overwrites the header with the
    // connection's address, so a viewer cannot pick its own rate-limit bucket.
    const behavior = distribution(s).CacheBehaviors.find((b) => b.PathPattern === '/api/*');
    const fnId = JSON.stringify(behavior?.FunctionAssociations?.[0]?.FunctionARN).match(
      /"([A-Za-z0-9]+)","FunctionARN"/,
    )?.[1];
    const [, fn] = resourcesOf(s.template, 'AWS::CloudFront::Function').find(([id]) => id === fnId) ?? [];
    const handler = new Function(`${String(fn?.FunctionCode)}; return handler;`)() as (e: unknown) => {
      headers: Record<string, { value: string }>;
    };
    const out = handler({
      viewer: { ip: '198.51.100.7' },
      request: { uri: '/api/v1/me', headers: { [viewerIpHeader]: { value: '10.0.0.1' } } },
    });
    expect(out.headers[viewerIpHeader]?.value).toBe('198.51.100.7');
  });

  it('the ALB forwards only requests carrying the secret header CloudFront sends; others get 403', () => {
    const [, listener] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::Listener');
    expect(listener.DefaultActions).toEqual([
      {
        Type: 'fixed-response',
        FixedResponseConfig: { StatusCode: '403', ContentType: 'text/plain', MessageBody: 'Forbidden' },
      },
    ]);
    const [, rule] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    const [tgId] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect(rule.Actions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: tgId } }]);
    const condition = (
      rule.Conditions as { Field: string; HttpHeaderConfig: { HttpHeaderName: string; Values: unknown[] } }[]
    )[0];
    expect(condition?.Field).toBe('http-header');
    expect(condition?.HttpHeaderConfig.HttpHeaderName).toBe(originVerifyHeader);
    const sent = apiOrigin(s).OriginCustomHeaders?.find((h) => h.HeaderName === originVerifyHeader);
    // The same generated secret on both sides, resolved at deploy time (never in the template).
    expect(sent?.HeaderValue).toEqual(condition?.HttpHeaderConfig.Values[0]);
    const value = JSON.stringify(sent?.HeaderValue);
    expect(value).toContain('{{resolve:secretsmanager:');
    const [secretId] =
      resourcesOf(s.template, 'AWS::SecretsManager::Secret').find(([id]) => id.includes('OriginSecret')) ??
      [];
    expect(secretId && value.includes(secretId)).toBe(true);
  });

  it('the ALB health check is the shallow liveness path, not /ready', () => {
    s.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/health',
    });
  });

  it('leaves the task count to autoscaling: no DesiredCount a deploy would reset', () => {
    const [, service] = onlyResource(s.template, 'AWS::ECS::Service');
    expect(service.DesiredCount).toBeUndefined();
    s.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 6,
    });
  });

  it('a known prefix-list id replaces the deploy-time lookup', () => {
    const known = synth({ ...contexts.zone, cloudFrontPrefixListId: 'pl-4fa04526' });
    expect(albIngress(known).map((r) => r.SourcePrefixListId)).toEqual(['pl-4fa04526']);
    known.template.resourceCountIs('Custom::AWS', 0);
  });
});

describe('TLS to the origin is the default', () => {
  it('refuses to synthesize without a certificate, a zone or an explicit opt-in', () => {
    const build = () => buildApp({ context: {}, outdir: '/tmp/never-written', nag: false });
    expect(build).toThrow(InfraConfigError);
    expect(build).toThrow(/hostedZoneId.*certificateArn.*allowHttpOrigin=true/s);
  });

  it('own certificate: CloudFront connects to apiDomainName over TLS 1.2', () => {
    const s = synth(contexts.certificate);
    expect(apiOrigin(s).DomainName).toBe('api.example.com');
    expect(apiOrigin(s).CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    s.template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('allowHttpOrigin=true: plain HTTP, still only from CloudFront, and synth says so', () => {
    const s = synth(contexts.trial);
    expect(apiOrigin(s).CustomOriginConfig?.OriginProtocolPolicy).toBe('http-only');
    expect(albIngress(s).map((r) => r.FromPort)).toEqual([80]);
    expect(albIngress(s)[0]?.CidrIp).toBeUndefined();
    const warnings = s.assembly
      .getStackArtifact(s.stack.artifactId)
      .messages.filter((m) => m.level === 'warning');
    expect(warnings.map((m) => String(m.entry.data)).join('\n')).toMatch(/plain HTTP/);
  });
});
