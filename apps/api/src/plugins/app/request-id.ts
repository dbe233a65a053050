import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// A random prefix per process (96 bits: unique across instances and restarts) and a counter, in place
// of a randomUUID per request (ADR 0182). Ids are correlation handles, not secrets.
const PREFIX = randomBytes(12).toString('base64url');
let counter = 0;

/** A new request id: `<process prefix>.<counter in base 36>`, within SAFE_ID's alphabet. */
export function newRequestId(): string {
  counter++;
  return `${PREFIX}.${counter.toString(36)}`;
}

/** Keeps a caller's (or the load balancer's) x-request-id when it is sane, otherwise makes one. */
export function genReqId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : newRequestId();
}

/** Echoes the request id on every response, so clients can quote it (it is in problem bodies too). */
export const requestIdPlugin = fp(
  async (app: FastifyInstance) => {
    // Callback style: an async hook costs a promise per request for a one-line body.
    app.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });
  },
  { name: 'request-id' },
);
