import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem, titleFor } from '../../errors.ts';

/**
 * CORS for the configured web origins only. A preflight from any other origin is refused with 403;
 * other requests from it get no Access-Control-Allow-* headers, so browsers will not expose answers.
 */
export const corsPlugin = fp(
  async (app: FastifyInstance, opts: { origins: string[] }) => {
    const allowed = new Set(opts.origins);
    // Callback style: an async hook costs a promise on every request, and only OPTIONS is checked.
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.method !== 'OPTIONS') return done();
      const origin = request.headers.origin;
      // OPTIONS is only ever a CORS preflight here; @fastify/cors would answer anything else in text/plain.
      if (!origin || !request.headers['access-control-request-method']) {
        return done(
          new HttpProblem({ status: 400, title: titleFor(400), detail: 'Not a CORS preflight request.' }),
        );
      }
      if (!allowed.has(origin)) {
        return done(
          new HttpProblem({ status: 403, title: titleFor(403), detail: 'This origin is not allowed.' }),
        );
      }
      done();
    });
    await app.register(cors, {
      origin: [...allowed],
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
      credentials: false,
      maxAge: 600,
    });
  },
  { name: 'cors' },
);
