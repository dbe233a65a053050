import { describe, expect, it } from 'vitest';
import { defaults, InfraConfigError, readConfig } from '../src/config.ts';

const from = (ctx: Record<string, unknown>) => readConfig((k) => ctx[k]);

describe('infra config from CDK context', () => {
  it('falls back to documented defaults', () => {
    expect(from({ region: 'eu-west-1' })).toMatchObject({ ...defaults, region: 'eu-west-1' });
  });

  it('parses command-line strings (-c key=value) into numbers and booleans', () => {
    const cfg = from({ apiDesiredCount: '3', apiMaxCount: '9', multiAz: 'false' });
    expect(cfg.apiDesiredCount).toBe(3);
    expect(cfg.apiMaxCount).toBe(9);
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
  ])('rejects %j with a clear error', (ctx, message) => {
    expect(() => from(ctx)).toThrow(InfraConfigError);
    expect(() => from(ctx)).toThrow(message);
  });
});
