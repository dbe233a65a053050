/**
 * The SPA's security headers, once: the static server (npm start, e2e, the web image) sends them
 * and CloudFront's response-headers policy is built from them (infra/src/edge/web-hosting.ts).
 * connect-src follows the runtime config: the SPA talks to its API and to Cognito (or the local IdP).
 */
import type { RuntimeConfig } from '@app/web/config';

/** The parts of config.json the SPA's CSP follows. */
export type CspConfig = Pick<RuntimeConfig, 'region' | 'apiUrl' | 'cognitoEndpoint' | 'filesUrl'> & {
  hostedUi?: { url: string };
};

/**
 * Origins the SPA calls besides its own: the API's (if elsewhere), Cognito's or the IdP's, and the
 * managed login's token endpoint when the hosted-page sign-in is on, and the attachments' file
 * server (uploads are PUT to its presigned URLs).
 */
export function cspConnectSources(config: CspConfig): string[] {
  const sources = new Set<string>();
  if (config.apiUrl) sources.add(new URL(config.apiUrl).origin);
  // CSP wildcards are valid only as the leftmost label, so Cognito's regional host is spelled out.
  sources.add(
    config.cognitoEndpoint
      ? new URL(config.cognitoEndpoint).origin
      : `https://cognito-idp.${config.region}.amazonaws.com`,
  );
  // Already an origin (and on AWS a CloudFormation token, which URL parsing would mangle).
  if (config.hostedUi) sources.add(config.hostedUi.url);
  for (const files of cspImageSources(config)) sources.add(files);
  return [...sources];
}

/** Origins images come from besides the SPA's: the file server's presigned GETs (thumbnails). */
export function cspImageSources(config: Pick<CspConfig, 'filesUrl'>): string[] {
  // Already an origin (and on AWS a CloudFormation token, which URL parsing would mangle).
  return config.filesUrl ? [config.filesUrl] : [];
}

export function contentSecurityPolicy(
  connectSources: readonly string[],
  imageSources: readonly string[] = [],
): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${["'self'", 'data:', ...imageSources].join(' ')}`,
    `connect-src ${["'self'", ...connectSources].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** Every header the SPA's responses carry (HSTS is added by CloudFront, the only HTTPS origin). */
export function spaSecurityHeaders(config: CspConfig): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(cspConnectSources(config), cspImageSources(config)),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}
