import proxyAddr from '@fastify/proxy-addr';

/**
 * Which X-Forwarded-For entries the API believes (ADR 0074). The immediate peer (the socket's address)
 * must be one of `proxies`; then the `hops` entries it and the proxies before it appended are believed
 * too, and the next entry is the client. Anything else is the client's own word and ignored.
 */
export interface TrustProxy {
  /** Addresses or CIDRs the immediate peer must come from (e.g. the ALB's subnets), or `loopback`. */
  proxies: string[];
  /** Proxies in front of that peer whose X-Forwarded-For entry is believed (1 = CloudFront). */
  hops: number;
}

/** Reads TRUST_PROXY / TRUST_PROXY_HOPS; returns the setting or the problems with them. */
export function parseTrustProxy(
  raw: string,
  hops: number,
): { value: TrustProxy | false; problems: string[] } {
  const value = raw.trim();
  if (value === 'false') {
    const problems = hops > 0 ? ['TRUST_PROXY_HOPS: needs TRUST_PROXY (the addresses of the proxy)'] : [];
    return { value: false, problems };
  }
  if (value === 'true') {
    return {
      value: false,
      problems: [
        'TRUST_PROXY: "true" believes every X-Forwarded-For entry, so any client picks its own IP; list the proxy addresses/CIDRs instead',
      ],
    };
  }
  if (/^\d+$/.test(value)) {
    return {
      value: false,
      problems: [
        `TRUST_PROXY: a hop count ("${value}") is not accepted: Fastify 5 trusts nothing for a number, so every client would share the proxy's IP; give the addresses/CIDRs the proxy connects from (e.g. the ALB subnets) and TRUST_PROXY_HOPS for proxies in front of it (1 for CloudFront)`,
      ],
    };
  }
  const proxies = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const problems: string[] = [];
  for (const p of proxies) {
    try {
      proxyAddr.compile(p);
    } catch {
      problems.push(`TRUST_PROXY: "${p}" is not an IP address, a CIDR or "loopback"`);
    }
  }
  if (proxies.length === 0) problems.push('TRUST_PROXY: give "false" or a comma list of addresses/CIDRs');
  return { value: problems.length === 0 ? { proxies, hops } : false, problems };
}

/**
 * Fastify's `trustProxy` function for a setting. Fastify asks it for each address from the socket
 * outwards (hop 0 = the peer, hop 1 = the last X-Forwarded-For entry, ...) and stops at the first
 * "no": that address is `request.ip`. Only a listed peer makes any header entry count.
 */
export function trustProxyFunction(setting: TrustProxy): (address: string, hop: number) => boolean {
  const isProxy = proxyAddr.compile(setting.proxies);
  return (address, hop) => (hop === 0 ? isProxy(address, hop) : hop <= setting.hops);
}
