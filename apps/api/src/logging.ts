import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config.ts';

/**
 * Paths pino replaces with "[redacted]": credentials in headers and any password, one-time code or
 * token that a log call might include (request bodies are never logged by default; this is the
 * safety net). pino cannot exempt `err` from a `*.` wildcard, so codes are listed by place.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.password',
  '*.newPassword',
  // The API's own bodies are snake_case (ADR 0105).
  '*.new_password',
  '*.current_password',
  '*.previousPassword',
  '*.proposedPassword',
  // Not '*.code': that would blank err.code (ECONNREFUSED, FST_ERR_…, a Cognito error name), which
  // is how an operator learns why a call failed. One-time codes are named where they travel.
  'req.body.code',
  'query.code',
  'req.query.code',
  'input.code',
  '*.ConfirmationCode',
  '*.confirmationCode',
  '*.verificationCode',
  '*.otp',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.idToken',
  '*.id_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.secret',
  '*.clientSecret',
  'body.password',
  'body.code',
  'body.refresh_token',
];

/** The request line without its query string: one-time codes and e-mails travel in query strings. */
export function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Fastify's request serializer, minus the query string. */
function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: pathOnly(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** pino options for Fastify: JSON lines, request ids under `reqId`, redaction, no query strings. */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
}
