import { BlockList, isIP } from 'node:net';

/** The variable that lets a production build trust an issuer that is not Cognito (ADR 0075). */
export const ISSUER_OVERRIDE_VAR = 'UNSAFE_NON_COGNITO_ISSUER';

// WHATWG URL parsing already turns 2130706433, 0x7f.1, 0177.0.0.1 and 127.1 into 127.0.0.1 and
// [::ffff:127.0.0.1] into [::ffff:7f00:1]; BlockList matches IPv4-mapped IPv6 against IPv4 ranges.
const LOOPBACK_NETS = new BlockList();
LOOPBACK_NETS.addSubnet('127.0.0.0', 8, 'ipv4');
// "This network": connecting to 0.0.0.0 (or [::]) reaches the local machine.
LOOPBACK_NETS.addSubnet('0.0.0.0', 8, 'ipv4');
LOOPBACK_NETS.addAddress('::1', 'ipv6');
LOOPBACK_NETS.addAddress('::', 'ipv6');
// Names that resolve to the machine itself (RFC 6761 reserves *.localhost; Debian's /etc/hosts adds the rest).
const LOOPBACK_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** True when a host name (as URL.hostname gives it) is the local machine, in any spelling. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '');
  const family = isIP(host);
  if (family !== 0) return LOOPBACK_NETS.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return LOOPBACK_NAMES.has(host) || host.endsWith('.localhost');
}

/** True when a URL's host is the local machine (the only place plain http is tolerated). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** The issuer Cognito puts in tokens of this pool (China regions live under amazonaws.com.cn). */
export function cognitoIssuer(region: string, userPoolId: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://cognito-idp.${region}.${domain}/${userPoolId}`;
}

export interface IdpUrls {
  region: string;
  userPoolId: string;
  issuer: string;
  jwksUri: string;
  endpoint?: string;
  /** Value of UNSAFE_NON_COGNITO_ISSUER, if set. */
  override?: string;
}

/**
 * Production refuses any identity provider but the configured Cognito pool: the issuer must be that
 * pool's Cognito issuer and the keys come from its JWKS. `UNSAFE_NON_COGNITO_ISSUER=<the issuer>`
 * lifts that for one named https issuer (a production rehearsal against a stand-in IdP).
 */
export function productionIdpProblems(u: IdpUrls): string[] {
  const problems: string[] = [];
  const https = (name: string, url: string) => {
    if (new URL(url).protocol !== 'https:')
      problems.push(`${name}: must use https in production (got ${url})`);
  };
  https('COGNITO_ISSUER', u.issuer);
  https('COGNITO_JWKS_URI', u.jwksUri);
  if (u.endpoint !== undefined) https('COGNITO_ENDPOINT', u.endpoint);

  if (u.override !== undefined) {
    if (u.override !== u.issuer) {
      problems.push(
        `${ISSUER_OVERRIDE_VAR}: must equal COGNITO_ISSUER exactly (it names the one issuer allowed)`,
      );
    }
    if (new URL(u.jwksUri).origin !== new URL(u.issuer).origin) {
      problems.push('COGNITO_JWKS_URI: must be on the same origin as COGNITO_ISSUER in production');
    }
    return problems;
  }

  for (const [name, url] of [
    ['COGNITO_ISSUER', u.issuer],
    ['COGNITO_JWKS_URI', u.jwksUri],
    ['COGNITO_ENDPOINT', u.endpoint],
  ] as const) {
    if (url !== undefined && isLoopbackUrl(url))
      problems.push(`${name}: a loopback identity provider is refused in production`);
  }
  const expected = cognitoIssuer(u.region, u.userPoolId);
  if (u.issuer !== expected) {
    problems.push(
      `COGNITO_ISSUER: must be the pool's Cognito issuer ${expected} in production; set ${ISSUER_OVERRIDE_VAR} to the issuer to run against another IdP`,
    );
  }
  if (u.jwksUri !== `${u.issuer}/.well-known/jwks.json`) {
    problems.push('COGNITO_JWKS_URI: must be <COGNITO_ISSUER>/.well-known/jwks.json in production');
  }
  return problems;
}
