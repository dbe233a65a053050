import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The access-log line. Above info, pino's info is a no-op: only this small object is built. */
export function logCompleted(request: FastifyRequest, reply: FastifyReply): void {
  // The shape of Fastify's own line: req/res go through the API's serializers (no query string).
  request.log.info(
    { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 100) / 100 },
    'request completed',
  );
}

/**
 * One access-log line per request, written when the answer is sent (ADR 0097). Fastify's own
 * request logging (off in app.ts) writes two lines per request; this is the second of them alone:
 * method, path without its query string (where one-time codes travel), client, status, time.
 * Requests refused before routing (frameworkErrors) skip hooks: error-handler.ts logs those.
 */
export const accessLogPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onResponse', (request, reply, done) => {
      logCompleted(request, reply);
      done();
    });
  },
  { name: 'access-log' },
);
