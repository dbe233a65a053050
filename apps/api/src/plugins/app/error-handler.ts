import type { Socket } from 'node:net';
import type { Problem } from '@app/api-contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { TokenRejectedError } from '../../auth/token-errors.ts';
import { isConnectionError } from '../../db/index.ts';
import { type FieldError, HttpProblem, titleFor } from '../../errors.ts';
import { logCompleted } from './access-log.ts';
import { domainProblem } from './domain-problems.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Safe client-facing details for Fastify's own 4xx errors (their messages may echo input). */
const FRAMEWORK_DETAILS: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'The content type is not supported.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'The content length does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The JSON body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_TYPE: [400, 'The content type is empty.'],
  FST_ERR_BAD_URL: [400, 'The URL is malformed.'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'A path segment is too long.'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'The request cannot be routed.'],
};

function validationErrors(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const pointer = `${v.instancePath ?? ''}${missing ? `/${missing}` : ''}`;
    return { path: `${err.validationContext ?? 'request'}${pointer}`, message: v.message ?? 'is invalid' };
  });
}

/** Maps any thrown value to a problem that is safe to show: never a stack or an upstream message. */
export function toProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  const domain = domainProblem(err);
  if (domain) return domain;
  if (isConnectionError(err)) {
    return new HttpProblem({
      status: 503,
      title: titleFor(503),
      detail: 'A backing service is unavailable; retry shortly.',
      headers: { 'retry-after': '5' },
    });
  }
  const fe = err as Partial<FastifyError>;
  if (fe?.validation) {
    return new HttpProblem({
      status: 400,
      title: titleFor(400),
      detail: 'The request is invalid.',
      errors: validationErrors(fe as FastifyError),
    });
  }
  const known = fe?.code ? FRAMEWORK_DETAILS[fe.code] : undefined;
  if (known) return new HttpProblem({ status: known[0], title: titleFor(known[0]), detail: known[1] });
  // JSON parse failures from Fastify's parser carry status 400 and the parser's message.
  if (fe?.statusCode === 400 && err instanceof SyntaxError) {
    return new HttpProblem({ status: 400, title: titleFor(400), detail: 'The body is not valid JSON.' });
  }
  const status =
    typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  return new HttpProblem({
    status,
    title: titleFor(status),
    ...(status === 500 ? {} : { detail: 'The request could not be processed.' }),
  });
}

export function problemBody(p: HttpProblem, requestId?: string): Problem {
  return {
    type: p.type ?? 'about:blank',
    title: p.title,
    status: p.status,
    ...(p.detail !== undefined ? { detail: p.detail } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
    ...(requestId ? { request_id: requestId } : {}),
  };
}

/**
 * Node answers malformed or oversized requests (e.g. headers over the 16 KB limit) before Fastify
 * sees them; answer those in problem+json too, then close the connection.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const title = status === 408 ? 'Request Timeout' : titleFor(status);
  const body = JSON.stringify({ type: 'about:blank', title, status });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Renders any error as problem+json on `reply`; the body never echoes the request. */
function replyWithProblem(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const p = toProblem(err);
  if (p.status >= 500) request.log.error({ err }, 'request failed');
  else if (err instanceof TokenRejectedError) {
    // Which check refused the token (never the token itself): for whoever debugs a 401.
    request.log.info({ status: p.status, error: err.name, reason: err.message }, 'access token rejected');
  } else request.log.info({ status: p.status, code: (err as FastifyError).code }, p.detail ?? p.title);
  reply.code(p.status);
  // Errors raised before routing skip the request-id hook; the id is in the body, so send it too.
  reply.header('x-request-id', request.id);
  if (p.headers) reply.headers(p.headers);
  reply.type(PROBLEM_CONTENT_TYPE);
  return problemBody(p, request.id);
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed percent-encoding,
 * an over-long path parameter) otherwise get Fastify's own JSON, which quotes the URL back.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.send(replyWithProblem(err, request, reply));
  // No onResponse hooks run for requests refused before routing: write their access line here.
  logCompleted(request, reply);
}

/** One central error handler and a 404 handler, both answering application/problem+json. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler(async (err, request: FastifyRequest, reply) => replyWithProblem(err, request, reply));
    app.setNotFoundHandler(async (request, reply) => {
      reply.code(404).type(PROBLEM_CONTENT_TYPE);
      return problemBody(
        new HttpProblem({ status: 404, title: titleFor(404), detail: 'No such route.' }),
        request.id,
      );
    });
  },
  { name: 'error-handler' },
);
