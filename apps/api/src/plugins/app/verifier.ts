import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { TokenVerifier, type TokenVerifierOptions } from '../../auth/verifier.ts';
import { type AppConfig, isLoopbackUrl } from '../../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    verifier: TokenVerifier;
  }
}

export interface VerifierPluginOptions {
  config: AppConfig;
  /** Tuning for tests and the bench (cache size, JWKS refetch interval). */
  tuning?: Partial<Pick<TokenVerifierOptions, 'cacheMax' | 'minRefetchIntervalMs' | 'jwksMaxAgeMs'>>;
}

/** Decorates `app.verifier` and warms the JWKS in the background once the app is ready. */
export const verifierPlugin = fp(
  async (app: FastifyInstance, opts: VerifierPluginOptions) => {
    const { cognito, env } = opts.config;
    const verifier = new TokenVerifier({
      issuer: cognito.issuer,
      jwksUri: cognito.jwksUri,
      clientIds: cognito.clientIds,
      machineClientIds: cognito.machineClientIds,
      allowHttpLoopback: env !== 'production' && isLoopbackUrl(cognito.jwksUri),
      ...opts.tuning,
    });
    app.decorate('verifier', verifier);
    app.addHook('onReady', async () => {
      void verifier.hydrate().then((ok) => {
        if (!ok) app.log.warn({ jwksUri: cognito.jwksUri }, 'JWKS not reachable yet; will retry on demand');
      });
    });
  },
  { name: 'verifier' },
);
