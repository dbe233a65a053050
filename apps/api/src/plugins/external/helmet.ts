import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

/** The API serves JSON; the swagger UI at /docs sets its own CSP (staticCSP), which replaces this one. */
export const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    // No upgrade-insecure-requests: the local stack serves /docs over plain http on loopback.
    directives: {
      defaultSrc: ["'self'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      upgradeInsecureRequests: null,
    },
  },
  crossOriginResourcePolicy: { policy: 'same-site' },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
};

/**
 * Runs helmet's middleware once against a recording response and returns the headers it sets. With
 * static options the headers never change, so computing them per request (as @fastify/helmet 13 does,
 * re-parsing the CSP each time) is wasted work (ADR 0095).
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  let ran = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
    ran = true;
  });
  // helmet's middleware is synchronous; if a future version is not, fail loudly rather than send nothing.
  if (!ran) throw new Error('helmet did not finish synchronously');
  if (failure) throw failure;
  return headers;
}

/** Security headers on every answer (errors and 404s included), computed once at start. */
export const helmetPlugin = fp(
  async (app: FastifyInstance) => {
    const headers = securityHeaders(HELMET_OPTIONS);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'helmet' },
);
