import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Revocation } from '../../auth/revocation.ts';

declare module 'fastify' {
  interface FastifyInstance {
    revocation: Revocation;
  }
}

/** Decorates `app.revocation` on top of `app.store`. */
export const revocationPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorate('revocation', new Revocation(app.store));
    app.decorateRequest('user', null as never);
  },
  { name: 'revocation', dependencies: ['store'] },
);
