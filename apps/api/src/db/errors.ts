import { HttpProblem, titleFor } from '../errors.ts';

/**
 * Connection-level failures (server down, connection killed, pool exhausted) become one typed error,
 * so the HTTP layer can answer 503 without leaking driver messages. Query errors (constraint
 * violations, syntax) pass through unchanged: they are bugs or conflicts, not outages.
 */
export class DbUnavailableError extends HttpProblem {
  constructor(readonly reason?: unknown) {
    super({
      status: 503,
      title: titleFor(503),
      detail: 'The database is unavailable; retry shortly.',
      headers: { 'retry-after': '5' },
      // The driver's error (refused, timed out, too many clients) reaches the error log this way.
      cause: reason,
    });
    this.name = 'DbUnavailableError';
  }
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** SQLSTATE classes 08 (connection exception) and 57P0x (operator intervention: shutdown, terminated). */
function isConnectionSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03';
}

export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof DbUnavailableError) return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (connectionErrorCodes.has(code) || isConnectionSqlState(code))) return true;
  // node-postgres reports a dropped socket and pool timeouts with plain messages and no code.
  return /Connection terminated|connection timeout|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|PGlite is closed/i.test(
    err.message,
  );
}

export function toDbError(err: unknown): unknown {
  return isConnectionError(err) && !(err instanceof DbUnavailableError) ? new DbUnavailableError(err) : err;
}
