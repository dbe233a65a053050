import { connectionBudget, deployOverlap, estimatedMaxConnections } from './data/connection-budget.ts';

/**
 * Deployment settings, read from CDK context (`cdk.json`, `-c key=value`). Everything that differs
 * between environments lives here; the constructs never read context themselves.
 */
export class InfraConfigError extends Error {
  override readonly name = 'InfraConfigError';
}

export type ThreatProtection = 'ENFORCED' | 'AUDIT' | 'OFF';

export interface InfraConfig {
  /** Short environment name, used in resource names and tags ("prod", "staging"). */
  readonly envName: string;
  /** AWS region of the main stack (ALB access logging needs a concrete region at synth time). */
  readonly region: string;
  /** RDS standby in a second AZ. Off only for throwaway environments (the cache is always multi-AZ). */
  readonly multiAz: boolean;
  readonly natGateways: number;
  readonly dbInstanceClass: string;
  readonly dbAllocatedStorageGiB: number;
  readonly dbBackupRetentionDays: number;
  /** ElastiCache Serverless ceilings (ADR 0195): data in GB, and ECPUs per second. */
  readonly cacheMaxDataGb: number;
  readonly cacheMaxEcpuPerSecond: number;
  readonly apiCpu: number;
  readonly apiMemoryMiB: number;
  readonly apiDesiredCount: number;
  readonly apiMaxCount: number;
  readonly logRetentionDays: number;
  /** Requests per 5 minutes per client IP before the WAF blocks (AWS minimum is 10). */
  readonly wafRateLimitPer5Min: number;
  /** Cognito threat protection (needs the Plus feature plan unless OFF). */
  readonly threatProtection: ThreatProtection;
  /** Regional ACM certificate for the ALB's HTTPS listener, covering apiDomainName (ADR 0085). */
  readonly certificateArn?: string;
  /**
   * Host name CloudFront uses to reach the ALB over TLS (a DNS name pointing at the ALB, covered by
   * its certificate). With a hosted zone it defaults to `api.<hostedZoneName>`.
   */
  readonly apiDomainName?: string;
  /** Route 53 zone the stack may write to: it then issues the ALB certificate and the API record. */
  readonly hostedZoneId?: string;
  readonly hostedZoneName?: string;
  /**
   * Explicit opt-in to plain HTTP between CloudFront and the ALB, for a throwaway trial without a
   * domain. Refused unless set: the default is TLS to the origin (ADR 0085).
   */
  readonly allowHttpOrigin: boolean;
  /**
   * Id of the `com.amazonaws.global.cloudfront.origin-facing` prefix list in the region; when unset
   * the stack looks it up at deploy time (a small custom resource).
   */
  readonly cloudFrontPrefixListId?: string;
  /** Custom domain for the web app on CloudFront, with a us-east-1 certificate. */
  readonly webDomainName?: string;
  readonly webCertificateArn?: string;
  /** A CLOUDFRONT-scope web ACL (must live in us-east-1) to attach to the distribution. */
  readonly cloudFrontWebAclArn?: string;
  /**
   * Use a pool made elsewhere (the Terraform module) instead of creating one: its id, the two
   * client ids and a Secrets Manager secret holding the backend client's secret (ADR 0089).
   */
  readonly existingUserPool?: {
    readonly userPoolId: string;
    readonly webClientId: string;
    readonly backendClientId: string;
    readonly backendClientSecretArn: string;
    /** Optional `existingMachineClientIds` (comma list): Terraform's COGNITO_MACHINE_CLIENT_IDS output. */
    readonly machineClientIds: string[];
    /** Optional `existingCliClientId`: Terraform's `cli_client_id` output, for config.json (ADR 0197). */
    readonly cliClientId?: string;
    /** Optional `existingHostedUiUrl`: Terraform's `hosted_ui_domain` output (the managed login). */
    readonly hostedUiUrl?: string;
    /**
     * Optional `existingIdentityProviders` (comma list): Terraform's `identity_providers` output, the
     * external providers its hosted-UI clients offer; config.json names them for the SPA's buttons.
     */
    readonly identityProviders: string[];
  };
  /** Hosted UI domain prefix; unset: the definition's + env + a piece of the stack id (unique). */
  readonly domainPrefix?: string;
  /**
   * Passkey relying-party id (Cognito's WebAuthnRelyingPartyID): the domain passkeys are bound to.
   * Unset: the web app's domain (webDomainName), since the SPA registers passkeys from its own origin;
   * without either Cognito uses the pool's domain (ADR 0142).
   */
  readonly passkeyRelyingPartyId?: string;
  /** Cognito mails from this SES-verified address (in the stack's region) instead of its default sender. */
  readonly emailFrom?: string;
  readonly emailReplyTo?: string;
  /** The SES identity is this domain (not the emailFrom address itself). */
  readonly sesVerifiedDomain?: string;
  /**
   * The pool's external OIDC provider (e.g. Google, ADR 0162): its name on the pool, issuer, client id
   * and the Secrets Manager secret (by name, plain string) holding the client secret. All four
   * `oidcProvider*` context keys or none; scopes and attribute mapping come from the definition.
   */
  readonly oidcProvider?: OidcProviderConfig;
  /** Connections each API task's pool opens at most (DB_POOL_MAX); checked against the budget. */
  readonly dbPoolMax: number;
  /** max_connections the budget is checked against; unset: estimated from the class (ADR 0087). */
  readonly dbMaxConnections?: number;
  /** Image tag the service runs; the deploy workflow passes the commit SHA. */
  readonly imageTag: string;
  readonly alarmEmail?: string;
}

export interface OidcProviderConfig {
  readonly name: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecretName: string;
}

export const defaults: InfraConfig = {
  envName: 'prod',
  region: 'eu-west-1',
  multiAz: true,
  natGateways: 1,
  dbInstanceClass: 't4g.micro',
  dbAllocatedStorageGiB: 20,
  dbBackupRetentionDays: 7,
  cacheMaxDataGb: 5,
  cacheMaxEcpuPerSecond: 100_000,
  apiCpu: 512,
  apiMemoryMiB: 1024,
  apiDesiredCount: 2,
  apiMaxCount: 6,
  logRetentionDays: 30,
  wafRateLimitPer5Min: 1000,
  threatProtection: 'ENFORCED',
  imageTag: 'latest',
  allowHttpOrigin: false,
  dbPoolMax: 5,
};

type Getter = (key: string) => unknown;

function str(get: Getter, key: keyof InfraConfig, pattern?: RegExp): string | undefined {
  const v = get(key);
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new InfraConfigError(`context "${key}" must be a string, got ${typeof v}`);
  if (pattern && !pattern.test(v)) throw new InfraConfigError(`context "${key}" is not valid: "${v}"`);
  return v;
}

function num(get: Getter, key: keyof InfraConfig, min: number, max: number): number | undefined {
  const v = get(key);
  if (v === undefined || v === null || v === '') return undefined;
  // `-c key=value` on the command line always arrives as a string.
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new InfraConfigError(`context "${key}" must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return n;
}

function bool(get: Getter, key: keyof InfraConfig): boolean | undefined {
  const v = get(key);
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new InfraConfigError(`context "${key}" must be true or false, got ${String(v)}`);
}

const arnPattern = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/;
const emailPattern = /^[^@\s]+@[^@\s]+$/;
const domainPattern = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function readConfig(get: Getter): InfraConfig {
  const threat = str(get, 'threatProtection');
  if (threat !== undefined && !['ENFORCED', 'AUDIT', 'OFF'].includes(threat)) {
    throw new InfraConfigError(`context "threatProtection" must be ENFORCED, AUDIT or OFF, got "${threat}"`);
  }
  const cfg: InfraConfig = {
    envName: str(get, 'envName', /^[a-z][a-z0-9-]{0,15}$/) ?? defaults.envName,
    region:
      str(get, 'region', /^[a-z]{2}(-gov)?-[a-z]+-\d$/) ?? process.env.CDK_DEFAULT_REGION ?? defaults.region,
    multiAz: bool(get, 'multiAz') ?? defaults.multiAz,
    natGateways: natGateways(get),
    dbInstanceClass: str(get, 'dbInstanceClass', /^[a-z0-9]+\.[a-z0-9]+$/) ?? defaults.dbInstanceClass,
    dbAllocatedStorageGiB: num(get, 'dbAllocatedStorageGiB', 20, 65536) ?? defaults.dbAllocatedStorageGiB,
    dbBackupRetentionDays: num(get, 'dbBackupRetentionDays', 1, 35) ?? defaults.dbBackupRetentionDays,
    // The service's own bounds for a Valkey serverless cache.
    cacheMaxDataGb: num(get, 'cacheMaxDataGb', 1, 5000) ?? defaults.cacheMaxDataGb,
    cacheMaxEcpuPerSecond:
      num(get, 'cacheMaxEcpuPerSecond', 1000, 15_000_000) ?? defaults.cacheMaxEcpuPerSecond,
    apiCpu: num(get, 'apiCpu', 256, 16384) ?? defaults.apiCpu,
    apiMemoryMiB: num(get, 'apiMemoryMiB', 512, 122880) ?? defaults.apiMemoryMiB,
    apiDesiredCount: num(get, 'apiDesiredCount', 1, 100) ?? defaults.apiDesiredCount,
    apiMaxCount: num(get, 'apiMaxCount', 1, 200) ?? defaults.apiMaxCount,
    logRetentionDays: num(get, 'logRetentionDays', 1, 3653) ?? defaults.logRetentionDays,
    wafRateLimitPer5Min: num(get, 'wafRateLimitPer5Min', 10, 2_000_000_000) ?? defaults.wafRateLimitPer5Min,
    threatProtection: (threat as ThreatProtection | undefined) ?? defaults.threatProtection,
    certificateArn: str(get, 'certificateArn', arnPattern),
    apiDomainName: str(get, 'apiDomainName', domainPattern),
    hostedZoneId: str(get, 'hostedZoneId', /^Z[A-Z0-9]{1,31}$/),
    hostedZoneName: str(get, 'hostedZoneName', domainPattern),
    allowHttpOrigin: bool(get, 'allowHttpOrigin') ?? defaults.allowHttpOrigin,
    cloudFrontPrefixListId: str(get, 'cloudFrontPrefixListId', /^pl-[0-9a-f]{8,17}$/),
    webDomainName: str(get, 'webDomainName', domainPattern),
    webCertificateArn: str(get, 'webCertificateArn', arnPattern),
    cloudFrontWebAclArn: str(get, 'cloudFrontWebAclArn', arnPattern),
    domainPrefix: str(get, 'domainPrefix', /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
    passkeyRelyingPartyId: str(get, 'passkeyRelyingPartyId', domainPattern),
    imageTag: str(get, 'imageTag', /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/) ?? defaults.imageTag,
    alarmEmail: str(get, 'alarmEmail', emailPattern),
    emailFrom: str(get, 'emailFrom', emailPattern),
    emailReplyTo: str(get, 'emailReplyTo', emailPattern),
    sesVerifiedDomain: str(get, 'sesVerifiedDomain', domainPattern),
    dbPoolMax: num(get, 'dbPoolMax', 1, 100) ?? defaults.dbPoolMax,
    dbMaxConnections: num(get, 'dbMaxConnections', 10, 100_000),
  };
  if (get('trustProxy') !== undefined) {
    // The API's TRUST_PROXY is derived from the VPC (ADR 0074); a hop count here did nothing.
    throw new InfraConfigError(
      'context "trustProxy" is no longer used: the API trusts the ALB (the VPC CIDR) and one hop (CloudFront); remove it',
    );
  }
  if (get('cacheNodeType') !== undefined) {
    // The cache is ElastiCache Serverless (ADR 0195): no nodes to size, only ceilings.
    throw new InfraConfigError(
      'context "cacheNodeType" is no longer used: the cache is ElastiCache Serverless; set "cacheMaxDataGb" / "cacheMaxEcpuPerSecond" instead',
    );
  }
  if (cfg.sesVerifiedDomain && !cfg.emailFrom?.endsWith(`@${cfg.sesVerifiedDomain}`)) {
    throw new InfraConfigError('context "sesVerifiedDomain" needs an "emailFrom" address in that domain');
  }
  if (cfg.apiMaxCount < cfg.apiDesiredCount) {
    throw new InfraConfigError('context "apiMaxCount" must be at least "apiDesiredCount"');
  }
  checkWebDomain(cfg);
  const imported = existingUserPool(get, cfg);
  return withOrigin({
    ...cfg,
    dbMaxConnections: checkConnectionBudget(cfg),
    ...imported,
    ...oidcProvider(get, Boolean(imported.existingUserPool)),
  });
}

/**
 * The API origin: CloudFront reaches the ALB over TLS by a name its certificate covers. That needs
 * either a certificate (+ the name) or a hosted zone the stack may issue one in; plain HTTP only on
 * an explicit allowHttpOrigin=true.
 */
function withOrigin(cfg: InfraConfig): InfraConfig {
  if ((cfg.hostedZoneId === undefined) !== (cfg.hostedZoneName === undefined)) {
    throw new InfraConfigError('context "hostedZoneId" and "hostedZoneName" must be given together');
  }
  if (cfg.certificateArn && !cfg.apiDomainName) {
    throw new InfraConfigError('context "certificateArn" needs "apiDomainName" (the name it covers)');
  }
  if (cfg.hostedZoneName) {
    const apiDomainName = cfg.apiDomainName ?? `api.${cfg.hostedZoneName}`;
    if (!apiDomainName.endsWith(`.${cfg.hostedZoneName}`)) {
      throw new InfraConfigError(
        `context "apiDomainName" (${apiDomainName}) must be inside "hostedZoneName" (${cfg.hostedZoneName})`,
      );
    }
    return { ...cfg, apiDomainName };
  }
  if (cfg.apiDomainName && !cfg.certificateArn) {
    throw new InfraConfigError(
      'context "apiDomainName" needs "certificateArn" (or "hostedZoneId" + "hostedZoneName" to issue one)',
    );
  }
  if (!cfg.certificateArn && !cfg.allowHttpOrigin) {
    throw new InfraConfigError(
      'CloudFront reaches the API over TLS, which needs a name for the ALB: pass -c hostedZoneId=<id> ' +
        '-c hostedZoneName=<zone> (the stack issues the certificate), or -c certificateArn=<arn> ' +
        '-c apiDomainName=<name>. For a throwaway trial without a domain, -c allowHttpOrigin=true ' +
        'accepts plain HTTP between CloudFront and the ALB (docs/deployment.md, step 2).',
    );
  }
  return cfg;
}

const importKeys = {
  existingUserPoolId: /^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+$/,
  existingWebClientId: /^[a-z0-9]{1,128}$/,
  existingBackendClientId: /^[a-z0-9]{1,128}$/,
  existingBackendClientSecretArn: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
} as const;

/** All four import keys or none; the pool's own settings then belong to Terraform, not to context. */
function existingUserPool(get: Getter, cfg: InfraConfig): Pick<InfraConfig, 'existingUserPool'> {
  const values = allOrNone(get, importKeys, 'importing a pool');
  if (!values) return {};
  for (const key of ['domainPrefix', 'emailFrom', 'passkeyRelyingPartyId'] as const) {
    if (cfg[key] !== undefined) {
      throw new InfraConfigError(`context "${key}" does not apply to an imported pool: set it in Terraform`);
    }
  }
  const cliClientId = str(get, 'existingCliClientId' as keyof InfraConfig, /^[a-z0-9]{1,128}$/);
  const hostedUiUrl = str(get, 'existingHostedUiUrl' as keyof InfraConfig, /^https:\/\/[a-z0-9.-]+$/);
  const identityProviders = list(get, 'existingIdentityProviders', /^(?!COGNITO$)[^_\s,]{3,32}$/);
  if (identityProviders.length > 0 && !hostedUiUrl) {
    throw new InfraConfigError(
      'context "existingIdentityProviders" needs "existingHostedUiUrl" (the managed login that offers them)',
    );
  }
  return {
    existingUserPool: {
      ...(hostedUiUrl ? { hostedUiUrl } : {}),
      identityProviders,
      userPoolId: values.existingUserPoolId ?? '',
      webClientId: values.existingWebClientId ?? '',
      backendClientId: values.existingBackendClientId ?? '',
      backendClientSecretArn: values.existingBackendClientSecretArn ?? '',
      machineClientIds: list(get, 'existingMachineClientIds', /^[\w+]+$/),
      ...(cliClientId ? { cliClientId } : {}),
    },
  };
}

/** A comma-separated context value (Terraform's list outputs), each item checked; none: []. */
function list(get: Getter, key: string, item: RegExp): string[] {
  const items = (str(get, key as keyof InfraConfig) ?? '').split(',').filter(Boolean);
  for (const v of items) {
    if (!item.test(v)) throw new InfraConfigError(`context "${key}" has an invalid item: "${v}"`);
  }
  return items;
}

/** Checks the deploy-time peak against max_connections and returns the max_connections used. */
function checkConnectionBudget(cfg: InfraConfig): number {
  const maxConnections = cfg.dbMaxConnections ?? estimatedMaxConnections(cfg.dbInstanceClass);
  if (maxConnections === undefined) {
    throw new InfraConfigError(
      `context "dbMaxConnections" is needed for dbInstanceClass=${cfg.dbInstanceClass} (its max_connections)`,
    );
  }
  const { peak, available } = connectionBudget({ ...cfg, maxConnections });
  if (peak > available) {
    throw new InfraConfigError(
      `connection budget exceeded: apiMaxCount ${cfg.apiMaxCount} × ${deployOverlap} during a deploy × ` +
        `dbPoolMax ${cfg.dbPoolMax} + migration = ${peak} > ${available} the database accepts ` +
        `(max_connections ${maxConnections}). Lower dbPoolMax or apiMaxCount, or use a larger ` +
        'dbInstanceClass (docs/deployment.md, "Scale out").',
    );
  }
  return maxConnections;
}

function natGateways(get: Getter): number {
  const n = num(get, 'natGateways', 0, 3) ?? defaults.natGateways;
  if (n === 0) {
    // The API calls Cognito (SRP, admin calls) and fetches its JWKS over the internet; without a
    // NAT the app subnets have no route there, and tasks would start and then fail every sign-in.
    throw new InfraConfigError(
      'context "natGateways" must be at least 1: the API tasks reach Cognito and its JWKS through the NAT',
    );
  }
  return n;
}

function checkWebDomain(cfg: InfraConfig): void {
  if ((cfg.webDomainName === undefined) !== (cfg.webCertificateArn === undefined)) {
    throw new InfraConfigError('context "webDomainName" and "webCertificateArn" must be given together');
  }
  if (cfg.webCertificateArn && !cfg.webCertificateArn.includes(':us-east-1:')) {
    throw new InfraConfigError(
      'context "webCertificateArn" must be an ACM certificate in us-east-1 (CloudFront)',
    );
  }
}

const oidcKeys = {
  // Cognito's provider names: 3-32 characters, no underscore, not COGNITO.
  oidcProviderName: /^(?!COGNITO$)[^_\s]{3,32}$/,
  oidcProviderIssuerUrl: /^https:\/\/[^\s]+$/,
  oidcProviderClientId: /^\S{1,256}$/,
  oidcProviderClientSecretName: /^[\w/+=.@-]{1,512}$/,
} as const;

/** All four keys or none; a pool imported from Terraform gets its provider there (the module's variables). */
function oidcProvider(get: Getter, importedPool: boolean): Pick<InfraConfig, 'oidcProvider'> {
  const values = allOrNone(get, oidcKeys, 'an OIDC provider');
  if (!values) return {};
  if (importedPool) {
    throw new InfraConfigError(
      'context "oidcProvider*" does not apply to an imported pool: set it in Terraform',
    );
  }
  return {
    oidcProvider: {
      name: values.oidcProviderName ?? '',
      issuerUrl: values.oidcProviderIssuerUrl ?? '',
      clientId: values.oidcProviderClientId ?? '',
      clientSecretName: values.oidcProviderClientSecretName ?? '',
    },
  };
}

/** Context keys that only make sense together: their values, none (undefined), or an error naming them all. */
function allOrNone<K extends string>(
  get: Getter,
  keys: Record<K, RegExp>,
  what: string,
): Record<K, string | undefined> | undefined {
  const values = Object.fromEntries(
    Object.entries<RegExp>(keys).map(([key, pattern]) => [key, str(get, key as keyof InfraConfig, pattern)]),
  ) as Record<K, string | undefined>;
  const given = Object.values(values).filter((v) => v !== undefined).length;
  if (given === 0) return undefined;
  if (given < Object.keys(keys).length) {
    throw new InfraConfigError(`${what} needs all of ${Object.keys(keys).join(', ')}`);
  }
  return values;
}
