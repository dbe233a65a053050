import { join } from 'node:path';
import { passkeyUserVerification, type UserPoolDefinition } from '@app/pool-definition';
import { appClientOAuth, bootstrapOAuth } from './bootstrap-oauth.ts';
import type { Ctx } from './context.ts';
import { createClient, tokenValidity } from './operations/clients.ts';
import { createGroup } from './operations/groups.ts';
import { createPool } from './operations/pools.ts';
import { customScopes } from './operations/resource-servers.ts';
import { schemaFromDefinition } from './pools/schema.ts';
import { parseSettings } from './pools/settings.ts';
import { writeFileAtomic } from './store/atomic-file.ts';
import { dict } from './store/dict.ts';
import type { PoolRecord } from './store/state.ts';
import { createUser } from './users/accounts.ts';
import { findUser } from './users/lookup.ts';

export interface SeedUser {
  email: string;
  password: string;
  name?: string;
  groups?: string[];
}

export interface PoolInfo {
  poolId: string;
  region: string;
  issuer: string;
  jwksUri: string;
  clients: Record<string, { clientId: string; clientSecret?: string }>;
  /**
   * External providers the web client offers ("Sign in with <name>"), and the mock provider's issuer
   * when the IdP started it (ADR 0162).
   */
  federation?: { providers: string[]; mockIssuer?: string };
  /** The managed-login domain and where the OAuth endpoints are served (ADR 0081). */
  oauth: {
    domain?: string;
    authorizationEndpoint: string;
    tokenEndpoint: string;
    userInfoEndpoint: string;
    revocationEndpoint: string;
    logoutEndpoint: string;
    /** Custom scopes of the pool's resource servers, `<identifier>/<scope>`. */
    scopes: string[];
    /**
     * The HTTPS listener, when started (ADR 0136): `domain` is Amplify's `oauth.domain`; Amplify then
     * calls `https://<domain>/oauth2/authorize`, `/oauth2/token` and `/logout`.
     */
    tls?: { domain: string; url: string; certFile?: string; spkiSha256: string };
  };
}

/** Creates the definition's pool, clients and groups on the first start (empty data folder). */
export function bootstrapPool(ctx: Ctx, def: UserPoolDefinition) {
  const pool = createPool(ctx, {
    name: def.poolName,
    passwordPolicy: def.passwordPolicy,
    usernameAttributes: def.usernameAttributes,
    autoVerifiedAttributes: def.autoVerifiedAttributes,
    attributesRequireVerificationBeforeUpdate: def.attributesRequireVerificationBeforeUpdate,
    schema: schemaFromDefinition(def.schema),
    mfaConfiguration: def.mfaConfiguration,
    deletionProtection: def.deletionProtection,
    settings: parseSettings(
      {
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: def.allowedFirstAuthFactors } },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: def.accountRecovery, Priority: 1 }] },
      },
      def.passwordPolicy.temporaryPasswordValidityDays,
    ),
  });
  // Passkeys (ADR 0142): the definition's user verification. No relying-party id: the IdP serves
  // the SPA and managed login on localhost, which relyingPartyId() falls back to.
  const passkeys = passkeyUserVerification(def);
  pool.mfa = {
    softwareToken: def.mfaFactors.includes('SOFTWARE_TOKEN_MFA'),
    ...(def.mfaFactors.includes('EMAIL_OTP') ? { email: {} } : {}),
    ...(passkeys ? { webAuthn: { userVerification: passkeys } } : {}),
  };
  for (const g of def.groups) createGroup(ctx, pool, g);
  const clients = dict<string>();
  for (const c of def.clients) clients[c.key] = createDefinitionClient(ctx, pool, c).clientId;
  Object.assign(clients, bootstrapOAuth(ctx, pool, def));
  ctx.store.state.bootstrap = { poolId: pool.id, clients };
}

/** One of the definition's app clients, created in `pool` as the definition says. */
function createDefinitionClient(ctx: Ctx, pool: PoolRecord, c: UserPoolDefinition['clients'][number]) {
  const v = c.tokenValidity;
  return createClient(ctx, pool, {
    clientName: c.clientName,
    generateSecret: c.generateSecret,
    explicitAuthFlows: c.explicitAuthFlows,
    preventUserExistenceErrors: c.preventUserExistenceErrors,
    enableTokenRevocation: c.enableTokenRevocation,
    tokenValidity: tokenValidity(v.accessTokenMinutes, v.idTokenMinutes, v.refreshTokenDays * 24, {
      AccessToken: 'minutes',
      IdToken: 'minutes',
      RefreshToken: 'hours',
    }),
    readAttributes: c.readAttributes,
    writeAttributes: c.writeAttributes,
    oauth: appClientOAuth(c),
    ...(c.refreshTokenRotation.enabled
      ? {
          refreshTokenRotation: {
            feature: 'ENABLED',
            retryGracePeriodSeconds: c.refreshTokenRotation.retryGracePeriodSeconds,
          },
        }
      : {}),
  });
}

/**
 * A data folder made before the definition gained a client (e.g. the CLI's, ADR 0197) gets it at
 * the next start, so nobody has to delete their local data. Returns the keys added.
 */
export function addMissingDefinitionClients(ctx: Ctx, def: UserPoolDefinition): string[] {
  const bootstrap = ctx.store.state.bootstrap;
  const pool = bootstrap && ctx.store.state.pools[bootstrap.poolId];
  if (!bootstrap || !pool) return [];
  const added: string[] = [];
  for (const c of def.clients) {
    const known = bootstrap.clients[c.key];
    if (known && ctx.store.state.clients[known]) continue;
    bootstrap.clients[c.key] = createDefinitionClient(ctx, pool, c).clientId;
    added.push(c.key);
  }
  return added;
}

/** Seed users: created CONFIRMED with a verified e-mail; ones that already exist are left alone. */
export async function seedUsers(ctx: Ctx, poolId: string, users: SeedUser[]) {
  const pool = ctx.store.state.pools[poolId];
  if (!pool) throw new Error(`bootstrap pool ${poolId} is missing from the state`);
  for (const u of users) {
    if (findUser(pool, u.email)) continue;
    const unknown = (u.groups ?? []).filter((g) => !pool.groups[g]);
    if (unknown.length > 0) throw new Error(`seed user ${u.email}: unknown group(s) ${unknown.join(', ')}`);
    const attributes: Record<string, string> = { email_verified: 'true' };
    if (u.name) attributes.name = u.name;
    const user = await createUser(ctx, pool, {
      username: u.email,
      password: u.password,
      attributes,
      status: 'CONFIRMED',
    });
    user.groups = [...(u.groups ?? [])];
  }
}

export function poolInfo(
  ctx: Ctx,
  tls?: NonNullable<PoolInfo['oauth']['tls']>,
  mockIssuer?: string,
): PoolInfo {
  const b = ctx.store.state.bootstrap;
  if (!b) throw new Error('the IdP state has no bootstrap pool');
  const issuer = `${ctx.baseUrl}/${b.poolId}`;
  const clients: PoolInfo['clients'] = {};
  for (const [key, id] of Object.entries(b.clients)) {
    const c = ctx.store.state.clients[id];
    if (c) clients[key] = c.clientSecret ? { clientId: id, clientSecret: c.clientSecret } : { clientId: id };
  }
  const pool = ctx.store.state.pools[b.poolId];
  const web = b.clients.web ? ctx.store.state.clients[b.clients.web] : undefined;
  const providers = (web?.oauth?.identityProviders ?? []).filter((n) => pool?.identityProviders?.[n]);
  return {
    poolId: b.poolId,
    region: pool?.region ?? ctx.region,
    issuer,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    clients,
    federation: { providers, ...(mockIssuer ? { mockIssuer } : {}) },
    oauth: {
      domain: pool?.domain?.domain,
      authorizationEndpoint: `${ctx.baseUrl}/oauth2/authorize`,
      tokenEndpoint: `${ctx.baseUrl}/oauth2/token`,
      userInfoEndpoint: `${ctx.baseUrl}/oauth2/userInfo`,
      revocationEndpoint: `${ctx.baseUrl}/oauth2/revoke`,
      logoutEndpoint: `${ctx.baseUrl}/logout`,
      scopes: [...(pool ? customScopes(pool) : [])].sort(),
      ...(tls
        ? {
            tls: {
              domain: tls.domain,
              url: tls.url,
              ...(tls.certFile ? { certFile: tls.certFile } : {}),
              spkiSha256: tls.spkiSha256,
            },
          }
        : {}),
    },
  };
}

/** bootstrap.json: the pool and client ids (and the backend secret) for other local processes. */
export async function writeBootstrapFile(dataDir: string, url: string, info: PoolInfo) {
  await writeFileAtomic(
    join(dataDir, 'bootstrap.json'),
    `${JSON.stringify({ url, pool: info }, null, 2)}\n`,
    0o600,
  );
}
