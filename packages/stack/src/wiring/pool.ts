/**
 * The pool's ids as the wiring needs them, from whichever source knows them: the local IdP's
 * bootstrap (its `pool` object, or bootstrap.json on disk for compose) or the CDK constructs.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PoolInfo } from '@app/idp';
import { definition as defaultDefinition, nativeClient, type UserPoolDefinition } from '@app/pool-definition';

export interface PoolIds {
  region: string;
  poolId: string;
  issuer: string;
  /** Defaults to `<issuer>/.well-known/jwks.json`, as on Cognito. */
  jwksUri?: string;
  /** The app clients whose access tokens the API accepts: the definition's `clients`, in order. */
  clientIds: string[];
  /** Client-credentials clients (the definition's `machineClients`) the pool has: machine principals. */
  machineClientIds?: string[];
  /** The public client the SPA signs in with. */
  webClientId: string;
  /** The command-line client (a native app: code + PKCE on its loopback callback, ADR 0197). */
  cliClientId?: string;
  /** The confidential client the API's auth endpoints sign in with. */
  backendClientId: string;
  /** Plain only where it is not a secret (the local IdP); on AWS it comes from Secrets Manager. */
  backendClientSecret?: string;
}

/** What the local IdP writes to bootstrap.json (and `startIdp()` returns): its URL and pool. */
export interface Bootstrap {
  url: string;
  pool: PoolInfo;
}

export class WiringError extends Error {
  override readonly name = 'WiringError';
}

/** The definition's browser, confidential and command-line app clients (the same rule CDK applies). */
export function appClientKeys(def: UserPoolDefinition = defaultDefinition): {
  web: string;
  backend: string;
  cli?: string;
} {
  const web = def.clients.find((c) => !c.generateSecret && !c.nativeApp);
  const backend = def.clients.find((c) => c.generateSecret);
  if (!web || !backend) throw new WiringError('the pool definition needs a public and a confidential client');
  const cli = nativeClient(def);
  return { web: web.key, backend: backend.key, ...(cli ? { cli: cli.key } : {}) };
}

/** PoolIds from the local IdP's pool (bootstrap.json's `pool`). */
export function poolIdsFromBootstrap(pool: PoolInfo, def: UserPoolDefinition = defaultDefinition): PoolIds {
  const keys = appClientKeys(def);
  const client = (key: string) => {
    const c = pool.clients[key];
    if (!c) throw new WiringError(`the IdP's pool ${pool.poolId} has no "${key}" client`);
    return c;
  };
  const backend = client(keys.backend);
  // A data folder made before the definition had a CLI client has none: everything else still works.
  const cli = keys.cli ? pool.clients[keys.cli] : undefined;
  return {
    region: pool.region,
    poolId: pool.poolId,
    issuer: pool.issuer,
    jwksUri: pool.jwksUri,
    clientIds: def.clients.flatMap((c) =>
      c.key === keys.cli ? (cli?.clientId ?? []) : client(c.key).clientId,
    ),
    machineClientIds: def.machineClients.flatMap((m) => pool.clients[m.key]?.clientId ?? []),
    webClientId: client(keys.web).clientId,
    ...(cli ? { cliClientId: cli.clientId } : {}),
    backendClientId: backend.clientId,
    ...(backend.clientSecret ? { backendClientSecret: backend.clientSecret } : {}),
  };
}

/** Reads bootstrap.json, waiting up to `waitMs` for the IdP to write it (compose starts them together). */
export async function readBootstrapFile(file: string, waitMs = 0): Promise<Bootstrap> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (existsSync(file)) {
      try {
        const raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<Bootstrap>;
        if (typeof raw.url === 'string' && raw.pool?.poolId) return raw as Bootstrap;
      } catch {
        // Written atomically by the IdP; an unreadable file is retried until the deadline.
      }
    }
    if (Date.now() >= deadline)
      throw new WiringError(`no usable IdP bootstrap file at ${file}${waitMs ? ` after ${waitMs} ms` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
