/** Exit codes scripts can rely on (README: "Command-line client"). */
export const EXIT = {
  ok: 0,
  /** Anything unexpected: the server failed, the network is down. */
  failed: 1,
  /** Wrong arguments. */
  usage: 2,
  /** Not signed in, the session ended, or the credentials were refused. */
  auth: 3,
  /** No such item or attachment (another user's look the same). */
  notFound: 4,
  /** The request was refused as invalid: a bad value, a file too large or of a type not allowed. */
  refused: 5,
} as const;

/** An error the CLI reports in one line (and as JSON with --json), exiting with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The exit code for an HTTP problem status. */
export function exitFor(status: number): number {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 404) return EXIT.notFound;
  if (status >= 400 && status < 500 && status !== 429) return EXIT.refused;
  return EXIT.failed;
}
