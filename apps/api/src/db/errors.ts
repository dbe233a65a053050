/**
 * Connection-level failures (server down, connection killed, pool exhausted) become one typed error,
 * so the HTTP error handler can answer 503 without leaking driver messages (the driver's error is the
 * `cause`, for the log). Query errors (constraint violations, syntax) pass through unchanged: they are
 * bugs or conflicts, not outages.
 */
export class DbUnavailableError extends Error {
  override name = 'DbUnavailableError';
  constructor(readonly reason?: unknown) {
    super('database unavailable', reason === undefined ? undefined : { cause: reason });
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
