import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import { defaults, InfraConfigError, readConfig } from '../src/config.ts';

const from = (ctx: Record<string, unknown>) => readConfig((k) => ctx[k]);

describe('infra config from CDK context', () => {
  const zone = { hostedZoneId: 'Z0123456789EXAMPLE', hostedZoneName: 'example.com' };

  it('falls back to documented defaults; the API name defaults to api.<zone>', () => {
    expect(from({ region: 'eu-west-1', ...zone })).toMatchObject({
      ...defaults,
      ...zone,
      region: 'eu-west-1',
      apiDomainName: 'api.example.com',
    });
  });

  it('parses command-line strings (-c key=value) into numbers and booleans', () => {
    const cfg = from({ ...zone, apiDesiredCount: '3', apiMaxCount: '7', multiAz: 'false' });
    expect(cfg.apiDesiredCount).toBe(3);
    expect(cfg.apiMaxCount).toBe(7);
    expect(cfg.multiAz).toBe(false);
  });

  it.each([
    [{ apiDesiredCount: 'two' }, /apiDesiredCount/],
    [{ multiAz: 'yes' }, /multiAz/],
    [{ apiDesiredCount: 5, apiMaxCount: 2 }, /apiMaxCount/],
    [{ certificateArn: 'not-an-arn', apiDomainName: 'api.example.com' }, /certificateArn/],
    [{ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x' }, /apiDomainName/],
    [{ webDomainName: 'app.example.com' }, /webCertificateArn/],
    [
      {
        webDomainName: 'app.example.com',
        webCertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/x',
      },
      /us-east-1/,
    ],
    [{ threatProtection: 'MAYBE' }, /threatProtection/],
    [{ envName: 'Prod Env' }, /envName/],
    [{ wafRateLimitPer5Min: 5 }, /wafRateLimitPer5Min/],
    [{ ...zone, natGateways: 0 }, /natGateways.*at least 1.*Cognito/],
    [{}, /over TLS.*hostedZoneId.*allowHttpOrigin=true/],
    [{ apiDomainName: 'api.example.com' }, /certificateArn/],
    [{ hostedZoneId: 'Z0123456789EXAMPLE' }, /hostedZoneName/],
    [{ ...zone, apiDomainName: 'api.other.org' }, /inside "hostedZoneName"/],
    [{ allowHttpOrigin: 'maybe' }, /allowHttpOrigin/],
    [{ ...zone, trustProxy: '2' }, /"trustProxy" is no longer used/],
    [{ ...zone, cacheNodeType: 'cache.t4g.micro' }, /"cacheNodeType" is no longer used.*Serverless/],
    [{ ...zone, cacheMaxEcpuPerSecond: '500' }, /cacheMaxEcpuPerSecond.*\[1000, 15000000\]/],
    [{ ...zone, cacheMaxDataGb: '6000' }, /cacheMaxDataGb.*\[1, 5000\]/],
  ])('rejects %j with a clear error', (ctx, message) => {
    expect(() => from(ctx)).toThrow(InfraConfigError);
    expect(() => from(ctx)).toThrow(message);
  });

  it('every context key it reads is explained in docs/deployment.md', () => {
    const asked = new Set<string>();
    readConfig((k) => {
      asked.add(k);
      return (zone as Record<string, unknown>)[k];
    });
    const docs = readFileSync(join(repoRoot, 'docs', 'deployment.md'), 'utf8');
    const rows = docs.split('\n').filter((l) => l.startsWith('| `'));
    expect(asked.size).toBeGreaterThan(20);
    for (const key of asked) {
      // Refused with a message (ADRs 0074, 0195), not settings.
      if (key === 'trustProxy' || key === 'cacheNodeType') continue;
      expect(
        rows.some((r) => r.includes(`\`${key}\``)),
        `${key} has a row in docs/deployment.md`,
      ).toBe(true);
    }
  });
});
