/**
 * Cognito answers with error names such as `NotAuthorizedException`. Users get plain words;
 * the original name stays on the error for code that must branch on it.
 */
export class AuthError extends Error {
  override name = 'AuthError';
  constructor(
    /** Cognito's error name (e.g. `CodeMismatchException`), or `NetworkError` / `Unknown`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const plainWords: Record<string, string> = {
  NotAuthorizedException: 'The e-mail address or password is not right.',
  UserNotFoundException: 'The e-mail address or password is not right.',
  UsernameExistsException: 'An account with this e-mail address already exists. Try signing in.',
  AliasExistsException: 'Another account already uses this e-mail address.',
  UserNotConfirmedException: 'Please confirm your e-mail address first. We can send you a new code.',
  CodeMismatchException: 'That code is not right. Check the e-mail and try again.',
  ExpiredCodeException: 'That code has expired. Ask for a new one.',
  InvalidPasswordException: 'That password does not meet the rules shown below the field.',
  InvalidParameterException: 'Some of the details are not valid. Please check them.',
  LimitExceededException: 'Too many attempts. Please wait a few minutes and try again.',
  TooManyRequestsException: 'Too many attempts. Please wait a moment and try again.',
  TooManyFailedAttemptsException:
    'This account is locked after too many wrong passwords. Each further wrong try keeps it locked longer (up to 15 minutes); try again later or reset your password.',
  PasswordResetRequiredException: 'You need to reset your password before signing in.',
  CodeDeliveryFailureException: 'We could not send the code. Please try again later.',
  UserLambdaValidationException: 'Your details were not accepted. Please check them.',
  NetworkError: 'Cannot reach the sign-in service. Check your connection and try again.',
};

// NotAuthorizedException also covers disabled users and revoked sessions; Cognito's message says which.
function notAuthorized(message: string): string {
  if (/disabled/i.test(message)) return 'This account is disabled. Contact an administrator.';
  if (/revoked|expired/i.test(message)) return 'Your session has ended. Please sign in again.';
  if (/attempts exceeded/i.test(message)) return plainWords.TooManyFailedAttemptsException!;
  return plainWords.NotAuthorizedException!;
}

/** Turns whatever amazon-cognito-identity-js rejected with into an AuthError with plain words. */
export function toAuthError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  const e = (err ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : '';
  let code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Unknown';
  if (message === 'Network error' || err instanceof TypeError) code = 'NetworkError';
  if (code === 'NotAuthorizedException') return new AuthError(code, notAuthorized(message));
  return new AuthError(code, plainWords[code] ?? 'Something went wrong. Please try again.');
}

/** True for the sign-in lockout (Cognito: NotAuthorizedException "Password attempts exceeded"). */
export function isLockedOut(err: unknown): boolean {
  return err instanceof AuthError && err.message === plainWords.TooManyFailedAttemptsException;
}

/**
 * The lockout's words for a refused sign-in after a lockout was seen: once locked, Cognito answers a
 * later wrong password with the plain "Incorrect username or password" while the lock is renewed.
 */
export function asLockedOut(err: AuthError): AuthError {
  return new AuthError(err.code, plainWords.TooManyFailedAttemptsException!);
}

/**
 * ChangePassword's NotAuthorizedException means the *current* password is wrong; no e-mail address is
 * involved, so the sign-in wording would mislead.
 */
export function forCurrentPassword(err: AuthError): AuthError {
  return err.code === 'NotAuthorizedException' && err.message === plainWords.NotAuthorizedException
    ? new AuthError(err.code, 'Your current password is not right.')
    : err;
}
