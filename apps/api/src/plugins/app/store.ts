import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../../config.ts';
import { createStore } from '../../stores/index.ts';
import type { KvStore } from '../../stores/types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    store: KvStore;
  }
}

/** Decorates `app.store` (Redis or memory, or the one a test passes); closes it only if it opened it. */
export const storePlugin = fp(
  async (app: FastifyInstance, opts: { config: AppConfig; store?: KvStore }) => {
    const store = opts.store ?? createStore(opts.config);
    app.decorate('store', store);
    if (!opts.store) app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);
