import type { FastifyBaseLogger, FastifyRequest, FastifyServerOptions } from 'fastify';
import pino from 'pino';
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
export function serializeRequest(req: FastifyRequest) {
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

/** Bytes of log lines gathered before one write to stdout, and the longest a line waits (ADR 0182). */
export const LOG_BUFFER_BYTES = 4096;
export const LOG_FLUSH_MS = 250;

let stdoutDestination: ReturnType<typeof pino.destination> | undefined;

/**
 * stdout for the app logger, buffered (ADR 0182): one write per ~4 KiB of lines (about fifteen access
 * lines) instead of a synchronous write per line, flushed every LOG_FLUSH_MS and synchronously when
 * the process exits — process.exit, the end of a graceful stop, an uncaught error (close-with-grace
 * logs it, then exits). Only a SIGKILL (or an abort of the process) loses the last LOG_FLUSH_MS of lines. One per process:
 * every app of the process shares fd 1.
 */
export function bufferedStdout(): ReturnType<typeof pino.destination> {
  if (!stdoutDestination) {
    const dest = pino.destination({
      dest: 1,
      sync: true,
      minLength: LOG_BUFFER_BYTES,
      periodicFlush: LOG_FLUSH_MS,
    });
    process.on('exit', () => dest.flushSync());
    stdoutDestination = dest;
  }
  return stdoutDestination;
}

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Forward = (this: FastifyBaseLogger, ...args: unknown[]) => void;

/**
 * `request.log` that makes its pino child (bindings: `reqId`) only when something logs through it
 * (ADR 0180). Fastify makes one child per request, and with redaction on pino runs the redactor over
 * the bindings each time; most requests log nothing but their access line (access-log.ts).
 */
class LazyChildLogger {
  #real: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}
  private get real(): FastifyBaseLogger {
    this.#real ??= this.parent.child(this.bindings, this.options);
    return this.#real;
  }
  get level(): string {
    return this.#real?.level ?? this.options.level ?? this.parent.level;
  }
  set level(level: string) {
    this.real.level = level;
  }
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
  silent(): void {}
  /** A call below the level is a no-op in pino: no child is built for it. */
  enabled(level: Level): boolean {
    const parent = this.parent as FastifyBaseLogger & { isLevelEnabled?: (l: string) => boolean };
    if (this.#real || this.options.level !== undefined || !parent.isLevelEnabled) return true;
    return parent.isLevelEnabled(level);
  }
}
for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as Level[]) {
  Object.defineProperty(LazyChildLogger.prototype, level, {
    value: function (this: LazyChildLogger, ...args: unknown[]) {
      if (!this.enabled(level)) return;
      const real = (this as unknown as { real: FastifyBaseLogger }).real;
      (real[level] as unknown as Forward).apply(real, args);
    },
  });
}

/** Fastify's `childLoggerFactory`: the per-request logger, built on first use. */
export function lazyChildLogger(
  parent: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(parent, bindings, options) as unknown as FastifyBaseLogger;
}
