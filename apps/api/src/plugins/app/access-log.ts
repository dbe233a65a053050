import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const accessLoggers = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

/**
 * The app logger without redaction, for the access line only (ADR 0180). Safe because that line is
 * made of fixed fields alone: the `req` serializer (logging.ts) lists method, path without query,
 * host and client address, the `res` one the status; no header, body or query ever reaches it.
 * pino's redaction would otherwise walk every field of every line (wildcard paths) per request.
 */
function accessLogger(log: FastifyBaseLogger): FastifyBaseLogger {
  let logger = accessLoggers.get(log);
  if (!logger) {
    logger = log.child({}, { redact: [] });
    accessLoggers.set(log, logger);
  }
  return logger;
}

/** The access-log line. Above info, pino's info is a no-op: only this small object is built. */
export function logCompleted(request: FastifyRequest, reply: FastifyReply): void {
  // The shape of Fastify's own line: req/res go through the API's serializers (no query string).
  accessLogger(request.server.log).info(
    {
      reqId: request.id,
      req: request,
      res: reply,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    },
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
