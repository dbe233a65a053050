import type { AppClient, UserPoolDefinition } from '@app/pool-definition';
import type { Ctx } from './context.ts';
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
