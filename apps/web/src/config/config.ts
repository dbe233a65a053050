/**
 * Runtime configuration. One production build serves every environment: the values come from
 * `/config.json` (written next to index.html at deploy time, or served by the local stack), and
 * fall back to the VITE_* values baked in at build time. See docs/decisions/0052-runtime-config.md.
 */
import type { HostedUiConfig, RuntimeConfig, SignInOptions } from './runtime-config.ts';

export type { HostedUiConfig, RuntimeConfig, SignInOptions } from './runtime-config.ts';

export interface AppConfig {
  /** Cognito user pool id, `<region>_<id>`. */
  userPoolId: string;
  /** The public (no secret) app client the SPA signs in with. */
  clientId: string;
  region: string;
  /** Set only for a Cognito-compatible endpoint other than AWS (the local IdP). */
  cognitoEndpoint?: string;
  /** Base URL of the API, without a trailing slash; '' means same origin. */
  apiUrl: string;
  /** The managed login, when this deployment offers "Sign in with the hosted page" (ADR 0140). */
  hostedUi?: HostedUiConfig;
  /** What the pool offers beyond passwords and the authenticator app; absent: everything is tried. */
  signInOptions?: SignInOptions;
  /** Origin of the attachments' file server; absent: this deployment has no attachments. */
  filesUrl?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The build-time defaults, from import.meta.env (VITE_*). */
export interface BuildEnv {
  VITE_USER_POOL_ID?: string;
  VITE_CLIENT_ID?: string;
  VITE_REGION?: string;
  VITE_COGNITO_ENDPOINT?: string;
  VITE_API_URL?: string;
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function httpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${field} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${field} must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function urlList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new ConfigError(`${field} must be a non-empty list of URLs`);
  // Checked, but kept exactly: Cognito matches redirect URLs character for character.
  return value.map((v, i) => {
    httpUrl(String(v), `${field}[${i}]`);
    return String(v);
  });
}

/** The optional `hostedUi` block: absent means no hosted-page button; present must be whole. */
function hostedUiConfig(value: unknown): HostedUiConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('hostedUi must be an object');
  const v = value as Record<string, unknown>;
  const url = str(v.url);
  if (!url) throw new ConfigError('hostedUi.url is missing');
  const scopes = v.scopes;
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))
    throw new ConfigError('hostedUi.scopes must be a list of scope names');
  const providers = v.identityProviders;
  if (
    providers !== undefined &&
    (!Array.isArray(providers) || providers.some((p) => typeof p !== 'string' || !p))
  )
    throw new ConfigError('hostedUi.identityProviders must be a list of provider names');
  return {
    url: httpUrl(url, 'hostedUi.url'),
    scopes: scopes as string[],
    redirectSignIn: urlList(v.redirectSignIn, 'hostedUi.redirectSignIn'),
    redirectSignOut: urlList(v.redirectSignOut, 'hostedUi.redirectSignOut'),
    ...(providers ? { identityProviders: providers as string[] } : {}),
  };
}

/** The optional `signInOptions` block: two booleans. */
function signInOptions(value: unknown): SignInOptions | undefined {
  if (value === undefined || value === null) return undefined;
  const v = (typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  if (typeof v.emailMfa !== 'boolean' || typeof v.choiceSignIn !== 'boolean')
    throw new ConfigError('signInOptions must be { emailMfa: boolean, choiceSignIn: boolean }');
  return { emailMfa: v.emailMfa, choiceSignIn: v.choiceSignIn };
}

/** Merges runtime over build-time values and validates the result. Throws ConfigError. */
export function resolveConfig(
  runtime: Partial<Record<keyof RuntimeConfig, unknown>>,
  env: BuildEnv,
): AppConfig {
  const userPoolId = str(runtime.userPoolId) ?? str(env.VITE_USER_POOL_ID);
  const clientId = str(runtime.clientId) ?? str(env.VITE_CLIENT_ID);
  if (!userPoolId) throw new ConfigError('userPoolId is missing (config.json or VITE_USER_POOL_ID)');
  if (!POOL_ID.test(userPoolId) || userPoolId.length > 55) {
    throw new ConfigError(`userPoolId "${userPoolId}" is not a Cognito pool id like us-east-1_AbC123`);
  }
  if (!clientId) throw new ConfigError('clientId is missing (config.json or VITE_CLIENT_ID)');
  const region = str(runtime.region) ?? str(env.VITE_REGION) ?? userPoolId.split('_')[0]!;
  const endpoint = str(runtime.cognitoEndpoint) ?? str(env.VITE_COGNITO_ENDPOINT);
  const api = str(runtime.apiUrl) ?? str(env.VITE_API_URL);
  const hostedUi = hostedUiConfig(runtime.hostedUi);
  const options = signInOptions(runtime.signInOptions);
  const files = str(runtime.filesUrl);
  const config: AppConfig = {
    userPoolId,
    clientId,
    region,
    apiUrl: api ? httpUrl(api, 'apiUrl') : '',
    ...(hostedUi ? { hostedUi } : {}),
    ...(options ? { signInOptions: options } : {}),
    ...(files ? { filesUrl: httpUrl(files, 'filesUrl') } : {}),
  };
  // amazon-cognito-identity-js posts to the endpoint as given, so keep its trailing slash.
  if (endpoint) config.cognitoEndpoint = `${httpUrl(endpoint, 'cognitoEndpoint')}/`;
  return config;
}

/**
 * Fetches `/config.json` (a missing file means "use the build-time values") and resolves the
 * configuration. A malformed file is an error, not a silent fallback.
 */
export async function loadConfig(
  env: BuildEnv,
  fetchImpl: typeof fetch = fetch,
  url = '/config.json',
): Promise<AppConfig> {
  let runtime: Record<string, unknown> = {};
  const res = await fetchImpl(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (res.ok) {
    const type = res.headers.get('content-type') ?? '';
    // Dev servers answer unknown paths with index.html; treat that as "no runtime file".
    if (type.includes('json')) {
      try {
        const body: unknown = await res.json();
        if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error();
        runtime = body as Record<string, unknown>;
      } catch {
        throw new ConfigError(`${url} is not a JSON object`);
      }
    }
  } else if (res.status !== 404) {
    throw new ConfigError(`${url} answered ${res.status}`);
  }
  return resolveConfig(runtime, env);
}
