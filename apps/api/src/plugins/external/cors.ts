import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem, titleFor } from '../../errors.ts';

const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id';
const EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate';
const MAX_AGE_SECONDS = '600';

/**
 * CORS for the configured web origins only (ADR 0182). A preflight from any other origin is refused
 * with 403; other requests from it get no Access-Control-Allow-Origin, so browsers will not expose
 * answers. A request without an `Origin` header is not a CORS request: it gets only `Vary: Origin`
 * (the answer depends on that header, for caches) and no other work — the common case of servers,
 * scripts and same-origin GETs. The headers are constants, built once, rather than @fastify/cors's
 * options spread and lookups on every request.
 */
export const corsPlugin = fp(
  async (app: FastifyInstance, opts: { origins: string[] }) => {
    const allowed = new Set(opts.origins);
    // Callback style: an async hook costs a promise on every request.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('vary', 'Origin');
      const origin = request.headers.origin;
      const preflight = request.method === 'OPTIONS';
      if (origin === undefined && !preflight) return done();
      // OPTIONS is only ever a CORS preflight here.
      if (preflight && (!origin || !request.headers['access-control-request-method'])) {
        return done(
          new HttpProblem({ status: 400, title: titleFor(400), detail: 'Not a CORS preflight request.' }),
        );
      }
      const ok = origin !== undefined && allowed.has(origin);
      if (preflight && !ok) {
        return done(
          new HttpProblem({ status: 403, title: titleFor(403), detail: 'This origin is not allowed.' }),
        );
      }
      if (ok) reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
      if (!preflight) return done();
      reply
        .header('access-control-allow-methods', METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', MAX_AGE_SECONDS)
        .code(204)
        .header('content-length', '0')
        .send();
    });
    // Lets an OPTIONS request reach the hook above on any path (it answers before the handler).
    app.options('*', { schema: { hide: true } }, (_request, reply) => {
      reply.code(204).send();
    });
  },
  { name: 'cors' },
);
