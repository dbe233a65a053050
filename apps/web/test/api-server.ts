import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buildApp, loadConfig } from '@app/api';
import type { RunningIdp } from '@app/idp';

/**
 * The real API in-process for this IdP (embedded PGlite in `dir`, in-process store), listening on
 * loopback: what the SPA's sign-up talks to (ADR 0072).
 */
export async function startApi(
  idp: RunningIdp,
  dir: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const { pool } = idp;
  const web = pool.clients.web!;
  const backend = pool.clients.backend!;
  const api = await buildApp(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      COGNITO_REGION: pool.region,
      COGNITO_USER_POOL_ID: pool.poolId,
      COGNITO_ISSUER: pool.issuer,
      COGNITO_JWKS_URI: pool.jwksUri,
      COGNITO_CLIENT_IDS: [web.clientId, backend.clientId].join(','),
      COGNITO_AUTH_CLIENT_ID: backend.clientId,
      COGNITO_AUTH_CLIENT_SECRET: backend.clientSecret ?? '',
      COGNITO_ENDPOINT: idp.url,
      DATA_DIR: join(dir, 'api'),
    }),
  );
  await api.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`,
    close: () => api.close(),
  };
}
