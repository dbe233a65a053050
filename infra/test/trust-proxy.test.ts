import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy, trustProxyFunction } from '../../apps/api/src/trust-proxy.ts';
import { onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

type Env = { Name: string; Value: unknown }[];

let s: Synth;
beforeAll(() => {
  s = synth();
});

function apiEnv(): Map<string, unknown> {
  const api = resourcesOf(s.template, 'AWS::ECS::TaskDefinition')
    .flatMap(([, p]) => p.ContainerDefinitions as { Name: string; Environment?: Env }[])
    .find((c) => c.Name === 'api');
  return new Map((api?.Environment ?? []).map((e) => [e.Name, e.Value]));
}

/** The first usable host of an IPv4 CIDR (where an ALB node could sit). */
function firstHost(cidr: string): string {
  const [base = ''] = cidr.split('/');
  const octets = base.split('.').map(Number);
  octets[3] = (octets[3] ?? 0) + 4;
  return octets.join('.');
}

describe('the API learns the viewer IP behind CloudFront and the ALB (ADR 0074)', () => {
  it('sets TRUST_PROXY to the VPC CIDR and TRUST_PROXY_HOPS to 1, never a bare hop count', () => {
    const env = apiEnv();
    const [vpcId] = onlyResource(s.template, 'AWS::EC2::VPC');
    expect(env.get('TRUST_PROXY')).toEqual({ 'Fn::GetAtt': [vpcId, 'CidrBlock'] });
    expect(env.get('TRUST_PROXY_HOPS')).toBe('1');
    expect(env.has('UNSAFE_NON_COGNITO_ISSUER')).toBe(false);
  });

  it('with those values the API takes the viewer, not the ALB or CloudFront, and ignores direct callers', () => {
    const [, vpc] = onlyResource(s.template, 'AWS::EC2::VPC');
    const cidr = vpc.CidrBlock as string;
    const parsed = parseTrustProxy(cidr, Number(apiEnv().get('TRUST_PROXY_HOPS')));
    expect(parsed.problems).toEqual([]);
    if (!parsed.value) throw new Error('expected a trust setting');
    const trusted = trustProxyFunction(parsed.value);
    // The ALB lives in the public subnets; each of its nodes is a trusted peer.
    const albSubnets = resourcesOf(s.template, 'AWS::EC2::Subnet').filter(([, p]) => p.MapPublicIpOnLaunch);
    expect(albSubnets.length).toBeGreaterThan(0);
    for (const [, subnet] of albSubnets) {
      const alb = firstHost(subnet.CidrBlock as string);
      // Fastify asks hop by hop from the socket outwards and stops at the first "no": that is the client.
      expect([trusted(alb, 0), trusted('130.176.0.5', 1), trusted('198.51.100.1', 2)]).toEqual([
        true,
        true,
        false,
      ]);
    }
    expect(trusted('203.0.113.9', 0)).toBe(false);
  });
});
