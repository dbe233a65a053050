/**
 * The one writer of the SPA's `/config.json`: the static server serves it, compose writes it to a
 * file, CDK deploys it to S3 — all from this function. Typed by the SPA's own `RuntimeConfig`, so a
 * key the SPA adds fails type-checking here until it is wired.
 */
import type { RuntimeConfig } from '@app/web/config';
import type { PoolIds } from './pool.ts';

export type { RuntimeConfig } from '@app/web/config';

export function webConfig(
  pool: Pick<PoolIds, 'poolId' | 'region' | 'webClientId'>,
  urls: { apiUrl: string; idpUrl?: string },
): RuntimeConfig {
  return {
    userPoolId: pool.poolId,
    clientId: pool.webClientId,
    region: pool.region,
    apiUrl: urls.apiUrl,
    ...(urls.idpUrl ? { cognitoEndpoint: urls.idpUrl } : {}),
  };
}
