import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import pino from 'pino';
import { serializeRequest } from '../../logging.ts';

type Writer = (request: FastifyRequest, reply: FastifyReply) => void;
const writers = new WeakMap<FastifyBaseLogger, Writer>();
// msgPrefixSym is exported at run time but missing from pino's typings.
const S = pino.symbols as typeof pino.symbols & { readonly msgPrefixSym: symbol };
const INFO = 30;

/**
 * The access line's own fields, in pino's order after level, time and the logger's bindings. `req` is
 * the request for pino (its `req` serializer runs) or already serialized for the assembled line.
 */
function fields(request: FastifyRequest, reply: FastifyReply, req: object) {
  return {
    reqId: request.id,
    req,
    res: { statusCode: reply.statusCode },
    responseTime: Math.round(reply.elapsedTime * 100) / 100,
  };
}

/**
 * The access-line writer of an app logger, made once. It logs through a child without redaction
 * (ADR 0180): safe because the line is made of fixed fields alone — the `req` serializer lists method,
 * path without query, host and client address, then the status and time; no header, body or query
 * ever reaches it. On a plain pino logger (the API's: no mixin, log formatter, nested key, message
 * prefix or multistream) the line is assembled here from pino's own pieces — its level prefix, time,
 * bindings and line end — around ONE JSON.stringify of the fields, and written to its stream: the same
 * bytes as `info(fields, msg)` without pino's per-key serializer walk (ADR 0203). Else pino writes it.
 */
function writerFor(log: FastifyBaseLogger): Writer {
  let writer = writers.get(log);
  if (writer) return writer;
  const logger = log.child({}, { redact: [] }) as FastifyBaseLogger & Record<symbol, unknown>;
  const stream = logger[S.streamSym] as { write?: (line: string) => unknown } | undefined;
  const write = stream?.write?.bind(stream);
  const formatters = logger[S.formattersSym] as { log?: unknown } | undefined;
  const hooks = logger[S.hooksSym] as { streamWrite?: unknown } | undefined;
  const plain =
    write !== undefined &&
    !(stream as unknown as Record<symbol, unknown>)[S.needsMetadataGsym] &&
    !logger[S.mixinSym] &&
    !formatters?.log &&
    !hooks?.streamWrite &&
    !logger[S.nestedKeySym] &&
    !logger[S.msgPrefixSym] &&
    logger[S.messageKeySym] === 'msg' &&
    typeof logger[S.timeSym] === 'function' &&
    typeof (logger[S.lsCacheSym] as Record<number, string> | undefined)?.[INFO] === 'string';
  writer = plain
    ? (request: FastifyRequest, reply: FastifyReply) => {
        if ((logger as unknown as { levelVal: number }).levelVal > INFO) return;
        const own = JSON.stringify(fields(request, reply, serializeRequest(request)));
        write(
          `${(logger[S.lsCacheSym] as Record<number, string>)[INFO]}${(logger[S.timeSym] as () => string)()}${
            logger[S.chindingsSym] as string
          },${own.slice(1, -1)},"msg":"request completed"${logger[S.endSym] as string}`,
        );
      }
    : (request, reply) => logger.info(fields(request, reply, request), 'request completed');
  writers.set(log, writer);
  return writer;
}

/** The access-log line. Above info nothing is built. */
export function logCompleted(request: FastifyRequest, reply: FastifyReply): void {
  writerFor(request.server.log)(request, reply);
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
