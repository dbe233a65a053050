import type { Ctx } from '../context.ts';
import { opaque } from '../ids.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optInt, str } from '../protocol/params.ts';
import type { DomainRecord, PoolRecord } from '../store/state.ts';
import { poolById } from '../users/lookup.ts';

const prefixPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const hostPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The pool that owns a domain, if any: domains are unique across the IdP as they are across a region. */
export function poolByDomain(ctx: Ctx, domain: string): PoolRecord | undefined {
  return Object.values(ctx.store.state.pools).find((p) => p.domain?.domain === domain);
}

function certificateArn(input: Input): string | undefined {
  const c = input.CustomDomainConfig;
  if (c === undefined || c === null) return undefined;
  const arn = (c as Input).CertificateArn;
  if (typeof arn !== 'string' || !arn.startsWith('arn:'))
    throw invalidParameter('CustomDomainConfig.CertificateArn must be the ARN of an ACM certificate.');
  return arn;
}

function checkDomainName(domain: string, custom: boolean) {
  if (custom ? hostPattern.test(domain) : prefixPattern.test(domain)) return;
  throw invalidParameter(
    custom
      ? `The custom domain ${domain} is not a valid fully qualified domain name.`
      : 'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
  );
}

const managedLoginVersion = (input: Input, fallback: number) =>
  optInt(input, 'ManagedLoginVersion', 1, 2) ?? fallback;

/** The pool's own domain named in a request; Cognito's answer when it is not. */
function ownDomain(pool: PoolRecord, domain: string): DomainRecord {
  if (pool.domain?.domain !== domain) throw invalidParameter('No such domain or user pool exists.');
  return pool.domain;
}

const created = (d: DomainRecord) => ({
  ManagedLoginVersion: d.managedLoginVersion,
  // Only custom domains have a CloudFront target to point DNS at.
  CloudFrontDomain: d.certificateArn ? d.cloudFrontDistribution : undefined,
});

export const domainOperations = {
  async CreateUserPoolDomain(ctx: Ctx, input: Input) {
    const domain = str(input, 'Domain');
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const arn = certificateArn(input);
    checkDomainName(domain, arn !== undefined);
    const version = managedLoginVersion(input, 1);
    if (pool.domain) throw invalidParameter('User pool already has a domain configured.');
    if (poolByDomain(ctx, domain))
      throw invalidParameter('Domain already associated with another user pool.');
    pool.domain = {
      domain,
      managedLoginVersion: version,
      certificateArn: arn,
      cloudFrontDistribution: `${opaque(9)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}.cloudfront.net`,
      createdAt: ctx.clock(),
    };
    await ctx.store.commit();
    return created(pool.domain);
  },

  /** An unknown domain answers an empty description, as Cognito does (Terraform reads it as "gone"). */
  DescribeUserPoolDomain(ctx: Ctx, input: Input) {
    const domain = str(input, 'Domain');
    const pool = poolByDomain(ctx, domain);
    const d = pool?.domain;
    if (!pool || !d) return { DomainDescription: {} };
    return {
      DomainDescription: {
        UserPoolId: pool.id,
        AWSAccountId: '000000000000',
        Domain: d.domain,
        S3Bucket: 'aws-cognito-local-bucket',
        CloudFrontDistribution: d.cloudFrontDistribution,
        Version: String(d.createdAt),
        Status: 'ACTIVE',
        CustomDomainConfig: d.certificateArn ? { CertificateArn: d.certificateArn } : undefined,
        ManagedLoginVersion: d.managedLoginVersion,
      },
    };
  },

  async UpdateUserPoolDomain(ctx: Ctx, input: Input) {
    const domain = str(input, 'Domain');
    const d = ownDomain(poolById(ctx, str(input, 'UserPoolId')), domain);
    const arn = certificateArn(input);
    if (arn && !d.certificateArn)
      throw invalidParameter('A prefix domain cannot be given a custom domain certificate.');
    d.managedLoginVersion = managedLoginVersion(input, d.managedLoginVersion);
    if (arn) d.certificateArn = arn;
    await ctx.store.commit();
    return created(d);
  },

  async DeleteUserPoolDomain(ctx: Ctx, input: Input) {
    const domain = str(input, 'Domain');
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    ownDomain(pool, domain);
    delete pool.domain;
    await ctx.store.commit();
    return {};
  },
};
