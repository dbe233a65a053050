/**
 * The whole stack in this process, on random loopback ports: the local IdP (apps/idp), the API
 * (apps/api, on embedded PGlite and the in-process store, in a temp folder) and the production
 * build of the SPA behind a static server whose /config.json points at both.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, loadConfig } from '@app/api';
import { type RunningIdp, startIdp } from '@app/idp';
import type { FastifyInstance } from 'fastify';
import { ensureWebBuild } from './build-web.ts';
import { type StaticSite, serveSite } from './static-server.ts';

export interface SeedUser {
  email: string;
  password: string;
  name?: string;
  groups?: string[];
}

export interface StackOptions {
  users?: SeedUser[];
  /** Short token lifetimes for the expiry test (Cognito's minimum is 5 minutes). */
  tokenValiditySeconds?: { access?: number; id?: number };
}

export interface Stack {
  idp: RunningIdp;
  api: FastifyInstance;
  apiUrl: string;
  webUrl: string;
  /** The newest code of `kind` mailed to `email`, from the IdP's dev mailbox. */
  readCode(email: string, kind?: 'signup' | 'reset' | 'invitation'): Promise<string>;
  /** Calls the API with a bearer token, as any client would. */
  callApi(path: string, token: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dist = ensureWebBuild();
  const dir = await mkdtemp(join(tmpdir(), 'e2e-stack-'));
  let idp: RunningIdp | undefined;
  let api: FastifyInstance | undefined;
  let site: StaticSite | undefined;
  const stop = async () => {
    await site?.close();
    await api?.close();
    await idp?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // The site first: the IdP answers browsers only from the SPA's origin (ADR 0076).
    site = await serveSite(dist);
    idp = await startIdp({
      dataDir: join(dir, 'idp'),
      users: options.users ?? [],
      corsOrigins: [site.url],
      ...(options.tokenValiditySeconds ? { tokenValiditySeconds: options.tokenValiditySeconds } : {}),
    });
    const { pool } = idp;
    const web = pool.clients.web!;
    const backend = pool.clients.backend!;
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      COGNITO_REGION: pool.region,
      COGNITO_USER_POOL_ID: pool.poolId,
      COGNITO_ISSUER: pool.issuer,
      COGNITO_JWKS_URI: pool.jwksUri,
      COGNITO_CLIENT_IDS: [web.clientId, backend.clientId].join(','),
      COGNITO_MACHINE_CLIENT_IDS: pool.clients.machine?.clientId ?? '',
      COGNITO_AUTH_CLIENT_ID: backend.clientId,
      COGNITO_AUTH_CLIENT_SECRET: backend.clientSecret ?? '',
      COGNITO_ENDPOINT: idp.url,
      DATA_DIR: join(dir, 'api'),
      WEB_ORIGIN: site.url,
    });
    api = await buildApp(config);
    await api.listen({ host: '127.0.0.1', port: 0 });
    const apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    site.setConfig({
      userPoolId: pool.poolId,
      clientId: web.clientId,
      region: pool.region,
      cognitoEndpoint: idp.url,
      apiUrl,
    });
    const idpUrl = idp.url;
    return {
      idp,
      api,
      apiUrl,
      webUrl: site.url,
      async readCode(email, kind = 'signup') {
        // The IdP writes the mail before it answers, but allow a moment for a slow machine.
        for (let i = 0; i < 20; i++) {
          const res = await fetch(`${idpUrl}/_dev/mailbox?to=${encodeURIComponent(email)}`);
          const body = (await res.json()) as { messages: { kind: string; code: string }[] };
          const message = body.messages.find((m) => m.kind === kind);
          if (message) return message.code;
          await new Promise((r) => setTimeout(r, 250));
        }
        throw new Error(`no ${kind} code in the dev mailbox for ${email}`);
      },
      callApi(path, token, init = {}) {
        return fetch(`${apiUrl}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
        });
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
