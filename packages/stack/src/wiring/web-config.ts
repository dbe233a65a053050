/**
 * The one writer of the SPA's `/config.json`: the static server serves it, compose writes it to a
 * file, CDK deploys it to S3 — all from this function. Typed by the SPA's own `RuntimeConfig`, so a
 * key the SPA adds fails type-checking here until it is wired.
 */
import { definition as defaultDefinition, type UserPoolDefinition } from '@app/pool-definition';
import { HOSTED_UI_CALLBACK_PATH, type RuntimeConfig } from '@app/web/config';
import { appClientKeys, type PoolIds } from './pool.ts';

export type { RuntimeConfig } from '@app/web/config';
export { HOSTED_UI_CALLBACK_PATH };

/** The URLs the SPA's hosted-page sign-in needs registered on its client, for each origin it is served on. */
export function hostedUiAppUrls(webUrls: readonly string[]): {
  callbackUrls: string[];
  logoutUrls: string[];
} {
  const bases = webUrls.map((u) => u.replace(/\/+$/, ''));
  return {
    callbackUrls: bases.map((b) => `${b}${HOSTED_UI_CALLBACK_PATH}`),
    logoutUrls: bases.map((b) => `${b}/`),
  };
}

export function webConfig(
  pool: Pick<PoolIds, 'poolId' | 'region' | 'webClientId' | 'cliClientId'>,
  urls: {
    apiUrl: string;
    idpUrl?: string;
    /** Origin of the attachments bucket (S3 or the local s3rver), when attachments are on. */
    filesUrl?: string;
    /**
     * The managed login's origin (the pool domain's base URL, or the local IdP's) and the SPA's own
     * URLs: with both, the SPA offers "Sign in with the hosted page" (ADR 0140).
     */
    hostedUi?: { url: string; webUrls: readonly string[]; identityProviders?: readonly string[] };
  },
  def: UserPoolDefinition = defaultDefinition,
): RuntimeConfig {
  const webClient = def.clients.find((c) => c.key === appClientKeys(def).web);
  const hosted = urls.hostedUi && webClient?.callbackUrls.length ? urls.hostedUi : undefined;
  const appUrls = hosted ? hostedUiAppUrls(hosted.webUrls) : undefined;
  return {
    userPoolId: pool.poolId,
    clientId: pool.webClientId,
    region: pool.region,
    apiUrl: urls.apiUrl,
    ...(urls.idpUrl ? { cognitoEndpoint: urls.idpUrl } : {}),
    // The SPA shows only what the pool offers (ADR 0145).
    signInOptions: {
      emailMfa: def.mfaFactors.includes('EMAIL_OTP'),
      choiceSignIn: webClient?.explicitAuthFlows.includes('ALLOW_USER_AUTH') ?? false,
    },
    // The command-line client signs in at hostedUi.url with this client (ADR 0197).
    ...(pool.cliClientId && hosted ? { cliClientId: pool.cliClientId } : {}),
    ...(urls.filesUrl ? { filesUrl: urls.filesUrl.replace(/\/+$/, '') } : {}),
    ...(hosted && appUrls && webClient
      ? {
          hostedUi: {
            url: hosted.url.replace(/\/+$/, ''),
            scopes: [...webClient.oauthScopes],
            redirectSignIn: appUrls.callbackUrls,
            redirectSignOut: appUrls.logoutUrls,
            ...(hosted.identityProviders?.length ? { identityProviders: [...hosted.identityProviders] } : {}),
          },
        }
      : {}),
  };
}
