import { RevocationUnavailableError } from '../../auth/revocation.ts';
import { TokenRejectedError } from '../../auth/token-errors.ts';
import { JwksUnavailableError } from '../../auth/verifier.ts';
import { DbUnavailableError } from '../../db/errors.ts';
import {
  badRequest,
  causedBy,
  type HttpProblem,
  preconditionFailed,
  serviceUnavailable,
  unauthorized,
} from '../../errors.ts';
import { InvalidCursorError } from '../../services/items/cursor.ts';
import { VersionConflictError } from '../../services/items/store.ts';

/**
 * The one place domain errors become HTTP answers (ADR 0111). The services, the revocation list and
 * the stores throw these classes and know nothing of HTTP, so a CLI or a script can call them and
 * branch on the class; the error handler asks here first. Undefined: not a domain error.
 */
export function domainProblem(err: unknown): HttpProblem | undefined {
  if (!(err instanceof Error)) return undefined;
  // 401 with an RFC 6750 challenge; the client learns expired / revoked / invalid, the log the reason.
  if (err instanceof TokenRejectedError) return unauthorized(err.publicReason);
  if (err instanceof JwksUnavailableError) {
    return causedBy(serviceUnavailable('Token verification is temporarily unavailable.', 5), err);
  }
  // Fail closed (ADR 0032): a read means we cannot tell whether the token was signed out.
  if (err instanceof RevocationUnavailableError) {
    const detail =
      err.operation === 'read'
        ? 'Token revocation cannot be checked right now.'
        : 'Token revocation is unavailable right now; retry shortly.';
    return causedBy(serviceUnavailable(detail, 2), err);
  }
  if (err instanceof DbUnavailableError) {
    return causedBy(serviceUnavailable('The database is unavailable; retry shortly.', 5), err);
  }
  if (err instanceof InvalidCursorError) return badRequest(err.message);
  if (err instanceof VersionConflictError) {
    return preconditionFailed(
      `The item changed since you read it (now version ${err.currentVersion}); read it again and retry.`,
    );
  }
  return undefined;
}
