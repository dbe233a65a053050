import type { FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config.ts';

/**
 * Paths pino replaces with "[redacted]": credentials in headers and any password, code or token that
 * a log call might include (request bodies are never logged by default; this is the safety net).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.password',
  '*.newPassword',
  '*.previousPassword',
  '*.proposedPassword',
  '*.code',
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

/** pino options for Fastify: JSON lines, request ids under `reqId`, redaction. */
export function loggerOptions(config: Pick<AppConfig, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
}
