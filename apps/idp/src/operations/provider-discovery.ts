/**
 * What Cognito adds to an OIDC provider's ProviderDetails on CreateIdentityProvider and
 * UpdateIdentityProvider: the endpoints it read from the issuer's discovery document
 * (`authorize_url`, `token_url`, `attributes_url`, `jwks_uri`, unless the request gave them) and the
 * read-only `attributes_url_add_attributes` ("false" for OIDC). Describe then returns them, and the
 * sign-in uses the stored endpoints. ADR 0196.
 */
import type * as Oidc from 'openid-client';
import { openidClient } from '../federation/relying-party.ts';
import { type Dict, dict } from '../store/dict.ts';

const discovered = {
  authorize_url: 'authorization_endpoint',
  token_url: 'token_endpoint',
  attributes_url: 'userinfo_endpoint',
  jwks_uri: 'jwks_uri',
} as const;

/** Seconds a discovery request may take before the provider is stored without its endpoints. */
const discoveryTimeout = 5;

const isLoopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** The issuer's metadata, or undefined when it cannot be read (unreachable, not OIDC, plain http off loopback). */
async function discover(issuerUrl: string): Promise<Oidc.ServerMetadata | undefined> {
  const issuer = new URL(issuerUrl);
  const insecure = issuer.protocol === 'http:';
  if (insecure && !isLoopback(issuer)) return undefined;
  try {
    const oidc = await openidClient();
    const config = await oidc.discovery(issuer, 'discovery', undefined, oidc.None(), {
      timeout: discoveryTimeout,
      execute: insecure ? [oidc.allowInsecureRequests] : [],
    });
    return config.serverMetadata();
  } catch {
    return undefined;
  }
}

/** ProviderDetails as Cognito stores them for an OIDC provider (the request's values win). */
export async function withDiscoveredEndpoints(details: Dict<string>): Promise<Dict<string>> {
  const out = dict({ ...details, attributes_url_add_attributes: 'false' });
  const missing = Object.keys(discovered).filter((k) => !out[k]) as (keyof typeof discovered)[];
  if (missing.length === 0) return out;
  const meta = await discover(out.oidc_issuer!);
  for (const key of missing) {
    const value = meta?.[discovered[key]];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}
