import type { AppClient, UserPoolDefinition } from '@app/pool-definition';
import type { Ctx } from './context.ts';
import { checkRedirectUrl } from './operations/client-oauth.ts';
import { createClient, tokenValidity } from './operations/clients.ts';
import { dict } from './store/dict.ts';
import type { ClientRecord, PoolRecord } from './store/state.ts';

/** The definition's rule for app clients, the same as the CDK stack's and Terraform's: callback URLs mean code + `oauthScopes`. */
export function appClientOAuth(c: AppClient): ClientRecord['oauth'] {
  const { callbackUrls, logoutUrls } = c;
  if (callbackUrls.length === 0) return undefined;
  return {
    flows: ['code'],
    scopes: [...c.oauthScopes],
    enabled: true,
    callbackUrls: [...callbackUrls],
    logoutUrls: [...logoutUrls],
    identityProviders: ['COGNITO'],
  };
}

/**
 * The definition's managed-login domain, resource servers and machine clients (ADR 0083); returns the
 * machine clients' ids by key for bootstrap.json.
 */
export function bootstrapOAuth(ctx: Ctx, pool: PoolRecord, def: UserPoolDefinition): Record<string, string> {
  const now = ctx.clock();
  pool.domain = {
    domain: def.domainPrefix,
    managedLoginVersion: 1,
    cloudFrontDistribution: 'local.cloudfront.net',
    createdAt: now,
  };
  pool.resourceServers = dict();
  for (const r of def.resourceServers)
    pool.resourceServers[r.identifier] = {
      identifier: r.identifier,
      name: r.name,
      scopes: r.scopes.map((s) => ({ ...s })),
    };
  const ids: Record<string, string> = {};
  for (const m of def.machineClients) {
    const client = createClient(ctx, pool, {
      clientName: m.clientName,
      generateSecret: true,
      explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
      tokenValidity: tokenValidity(m.accessTokenMinutes, 60, 30),
      oauth: {
        flows: ['client_credentials'],
        scopes: [...m.scopes],
        enabled: true,
        callbackUrls: [],
        logoutUrls: [],
        identityProviders: [],
      },
    });
    ids[m.key] = client.clientId;
  }
  return ids;
}

/** The app's own URLs for the managed login: where it takes the code, where /logout may return. */
export interface AppUrls {
  callbackUrls?: string[];
  logoutUrls?: string[];
}

/**
 * Adds the app's URLs (`startIdp({ appUrls })`, `--callback-url`/`--logout-url`) to the bootstrap
 * pool's app clients that use the managed login, at every start — what CDK's `addHostedUiUrls` does
 * with the deployed web URL — so an SPA on any port can sign in through the hosted page. A native
 * app (the CLI, ADR 0197) keeps only its own loopback callback. Throws Cognito's
 * InvalidParameterException for a URL a client could not hold. Returns whether a client changed.
 */
export function addAppUrls(ctx: Ctx, urls: AppUrls, def: UserPoolDefinition): boolean {
  for (const url of urls.callbackUrls ?? []) checkRedirectUrl(url, 'callbackURLs');
  for (const url of urls.logoutUrls ?? []) checkRedirectUrl(url, 'logoutURLs');
  const native = new Set(def.clients.filter((c) => c.nativeApp).map((c) => c.key));
  const clients = Object.entries(ctx.store.state.bootstrap?.clients ?? {});
  let changed = false;
  for (const [key, id] of clients) {
    const oauth = ctx.store.state.clients[id]?.oauth;
    if (native.has(key) || !oauth?.flows.includes('code') || oauth.callbackUrls.length === 0) continue;
    for (const [list, more] of [
      [oauth.callbackUrls, urls.callbackUrls ?? []],
      [oauth.logoutUrls, urls.logoutUrls ?? []],
    ] as const)
      for (const url of more)
        if (!list.includes(url)) {
          list.push(url);
          changed = true;
        }
  }
  return changed;
}
