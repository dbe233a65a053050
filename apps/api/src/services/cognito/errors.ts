import { causedBy, HttpProblem, serviceUnavailable, titleFor, tooManyRequests } from '../../errors.ts';
import { domainProblem } from '../../plugins/app/domain-problems.ts';

/**
 * Cognito exception names (the SDK puts them in `err.name`). Everything else the SDK throws —
 * sockets, timeouts, 5xx — is an upstream failure and must not leak its message.
 */
export type CognitoErrorName =
  | 'CodeMismatchException'
  | 'EnableSoftwareTokenMFAException'
  | 'SoftwareTokenMFANotFoundException'
  | 'ExpiredCodeException'
  | 'InvalidPasswordException'
  | 'InvalidParameterException'
  | 'LimitExceededException'
  | 'TooManyRequestsException'
  | 'TooManyFailedAttemptsException'
  | 'NotAuthorizedException'
  | 'UserNotFoundException'
  | 'UserNotConfirmedException'
  | 'UsernameExistsException'
  | 'PasswordResetRequiredException'
  | 'ResourceNotFoundException'
  | 'CodeDeliveryFailureException'
  | 'AliasExistsException'
  | 'UnauthorizedException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException';

export function cognitoErrorName(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const meta = (err as { $metadata?: { httpStatusCode?: number }; $fault?: string }).$metadata;
  const fault = (err as { $fault?: string }).$fault;
  // A service exception carries $metadata with a 4xx status and a client fault.
  if (meta?.httpStatusCode && meta.httpStatusCode < 500 && fault === 'client') return err.name;
  return undefined;
}

export function isCognitoError(err: unknown, ...names: CognitoErrorName[]): boolean {
  const name = cognitoErrorName(err);
  return name !== undefined && (names as string[]).includes(name);
}

/** Seconds a client should wait after the IdP throttled it; Cognito gives no hint. */
const UPSTREAM_RETRY_AFTER = 60;

export const badGateway = (detail: string) => new HttpProblem({ status: 502, title: titleFor(502), detail });

/**
 * The fallback for errors an endpoint does not map itself: throttling → 429, anything the IdP or the
 * network broke → 502/503 with a fixed message. Never the upstream message.
 */
export function upstreamProblem(err: unknown): HttpProblem {
  if (err instanceof HttpProblem) return err;
  // The revocation list or the database failed, not the IdP: their own answer (ADR 0111).
  const domain = domainProblem(err);
  if (domain) return domain;
  return causedBy(mapUpstream(err), err);
}

function mapUpstream(err: unknown): HttpProblem {
  const name = cognitoErrorName(err);
  if (
    name === 'LimitExceededException' ||
    name === 'TooManyRequestsException' ||
    name === 'TooManyFailedAttemptsException'
  ) {
    return tooManyRequests(UPSTREAM_RETRY_AFTER);
  }
  if (name !== undefined) {
    // A client fault we did not expect (misconfigured pool or client, unsupported flow): our bug or theirs.
    return badGateway('The identity provider rejected the request.');
  }
  return serviceUnavailable('The identity provider is unavailable; retry shortly.', 5);
}
