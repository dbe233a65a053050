import { CognitoError, invalidParameter } from '../protocol/errors.ts';
import { type Input, optBool, optStr, optStrList } from '../protocol/params.ts';
import type { ClientOAuthRecord, PoolRecord } from '../store/state.ts';
import { customScopes } from './resource-servers.ts';

/** The scopes Cognito defines itself; every other scope must be `<resource server>/<scope>`. */
export const standardScopes = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
const flows = new Set(['code', 'implicit', 'client_credentials']);
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

const invalidOAuthFlow = (message: string) => new CognitoError('InvalidOAuthFlowException', message);

/** Absolute, no fragment, HTTPS except loopback; app schemes (myapp://) are allowed, as in Cognito. */
export function checkRedirectUrl(url: string, member: string) {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalidParameter(`${member}: ${url} is not an absolute URL.`);
  }
  if (u.hash || url.includes('#')) throw invalidParameter(`${member}: ${url} must not contain a fragment.`);
  if (u.protocol === 'http:' && !loopbackHosts.has(u.hostname))
    throw invalidParameter(`${member}: ${url} must use HTTPS (HTTP is allowed for localhost only).`);
}

/**
 * AllowedOAuthFlows, AllowedOAuthScopes, AllowedOAuthFlowsUserPoolClient, CallbackURLs, LogoutURLs,
 * DefaultRedirectURI and SupportedIdentityProviders, checked as Cognito checks them. Like every other
 * client setting, an update that leaves them out clears them.
 */
export function parseClientOAuth(input: Input, pool: PoolRecord, hasSecret: boolean): ClientOAuthRecord {
  const allowedFlows = optStrList(input, 'AllowedOAuthFlows') ?? [];
  for (const f of allowedFlows)
    if (!flows.has(f))
      throw invalidParameter(
        `1 validation error detected: Value '[${allowedFlows.join(', ')}]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]`,
      );
  const scopes = optStrList(input, 'AllowedOAuthScopes') ?? [];
  const custom = customScopes(pool);
  for (const s of scopes)
    if (!standardScopes.includes(s) && !custom.has(s))
      throw new CognitoError('ScopeDoesNotExistException', `Invalid scope requested: ${s}`);
  const enabled = optBool(input, 'AllowedOAuthFlowsUserPoolClient') ?? false;
  if (enabled && (allowedFlows.length === 0 || scopes.length === 0))
    throw invalidParameter(
      'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
    );
  if (allowedFlows.includes('client_credentials')) {
    if (!hasSecret)
      throw invalidOAuthFlow(
        'client_credentials flow can not be selected if client does not have a client secret.',
      );
    if (allowedFlows.length > 1)
      throw invalidOAuthFlow(
        'client_credentials flow can not be selected along with code flow or implicit flow.',
      );
  }
  const callbackUrls = optStrList(input, 'CallbackURLs') ?? [];
  const logoutUrls = optStrList(input, 'LogoutURLs') ?? [];
  for (const u of callbackUrls) checkRedirectUrl(u, 'CallbackURLs');
  for (const u of logoutUrls) checkRedirectUrl(u, 'LogoutURLs');
  const defaultRedirectUri = optStr(input, 'DefaultRedirectURI');
  if (defaultRedirectUri !== undefined && !callbackUrls.includes(defaultRedirectUri))
    throw invalidParameter('DefaultRedirectURI must be one of the CallbackURLs.');
  const identityProviders = optStrList(input, 'SupportedIdentityProviders') ?? [];
  for (const p of identityProviders)
    if (p !== 'COGNITO' && !pool.identityProviders?.[p])
      throw invalidParameter(`The provider ${p} does not exist for User Pool ${pool.id}`);
  return {
    flows: allowedFlows,
    scopes,
    enabled,
    callbackUrls,
    logoutUrls,
    defaultRedirectUri,
    identityProviders,
  };
}

/** The members DescribeUserPoolClient returns; empty lists are left out, as Cognito leaves them. */
export function describeClientOAuth(o: ClientOAuthRecord | undefined) {
  const list = (l: string[] | undefined) => (l && l.length > 0 ? l : undefined);
  return {
    AllowedOAuthFlows: list(o?.flows),
    AllowedOAuthScopes: list(o?.scopes),
    AllowedOAuthFlowsUserPoolClient: o?.enabled ?? false,
    CallbackURLs: list(o?.callbackUrls),
    LogoutURLs: list(o?.logoutUrls),
    DefaultRedirectURI: o?.defaultRedirectUri,
    SupportedIdentityProviders: list(o?.identityProviders),
  };
}
