/**
 * `npm start`'s social sign-in: the mock provider (ADR 0160) started beside the IdP, and the
 * bootstrap pool pointed at it as the definition's OIDC provider, offered by the app clients that
 * have callback URLs (ADR 0162). Re-applied at every start: the mock's port may change.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UserPoolDefinition } from '@app/pool-definition';
import type { Ctx } from '../context.ts';
import { writeFileAtomic } from '../store/atomic-file.ts';
import { dict } from '../store/dict.ts';
import { type RunningMockOidc, startMockOidc } from './mock-oidc.ts';
import { idpResponseUri } from './relying-party.ts';

export interface LocalProviderOptions {
  /** The mock provider's port (0 or absent: any free port). */
  port?: number;
}

const clientId = 'local-idp';

/** The IdP's client secret at the mock, made once per data folder. */
async function clientSecret(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'client.json');
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { secret: string }).secret;
  const secret = randomBytes(24).toString('base64url');
  await writeFileAtomic(file, JSON.stringify({ secret }), 0o600);
  return secret;
}

export async function startLocalProvider(
  ctx: Ctx,
  def: UserPoolDefinition,
  o: LocalProviderOptions & { dataDir: string; host: string },
): Promise<RunningMockOidc | undefined> {
  const spec = def.oidcProvider;
  const pool = ctx.store.state.pools[ctx.store.state.bootstrap?.poolId ?? ''];
  if (!spec || !pool) return undefined;
  const dir = join(o.dataDir, 'mock-oidc');
  const secret = await clientSecret(dir);
  const mock = await startMockOidc({
    dataDir: dir,
    host: o.host,
    port: o.port ?? 0,
    // Asked at the mock's first request: the IdP's own URL is known only once it listens.
    clients: () => [{ clientId, clientSecret: secret, redirectUris: [idpResponseUri(ctx)] }],
  });
  const now = ctx.clock();
  const existing = pool.identityProviders?.[spec.localName];
  pool.identityProviders ??= dict();
  pool.identityProviders[spec.localName] = {
    providerName: spec.localName,
    providerType: 'OIDC',
    providerDetails: dict({
      client_id: clientId,
      client_secret: secret,
      authorize_scopes: spec.authorizeScopes,
      oidc_issuer: mock.issuer,
      attributes_request_method: 'GET',
    }),
    attributeMapping: dict({ username: 'sub', ...spec.attributeMapping }),
    idpIdentifiers: existing?.idpIdentifiers ?? [],
    createdAt: existing?.createdAt ?? now,
    modifiedAt: now,
  };
  for (const c of Object.values(ctx.store.state.clients))
    if (c.userPoolId === pool.id && c.oauth && c.oauth.callbackUrls.length > 0)
      if (!c.oauth.identityProviders.includes(spec.localName)) c.oauth.identityProviders.push(spec.localName);
  await ctx.store.commit();
  return mock;
}
