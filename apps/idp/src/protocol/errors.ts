/**
 * Cognito's error shape: HTTP 400 (unless noted), body {"__type", "message"}, header x-amzn-ErrorType.
 * The names and messages below are the ones Cognito sends, so clients that match on them behave alike.
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

const make = (type: string) => (message: string) => new CognitoError(type, message);

export const notAuthorized = (message = 'Incorrect username or password.') =>
  new CognitoError('NotAuthorizedException', message);
export const invalidParameter = make('InvalidParameterException');
export const invalidPassword = make('InvalidPasswordException');
export const resourceNotFound = make('ResourceNotFoundException');
export const userNotFound = (message = 'User does not exist.') =>
  new CognitoError('UserNotFoundException', message);
export const usernameExists = make('UsernameExistsException');
export const aliasExists = make('AliasExistsException');
export const codeMismatch = () =>
  new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
export const expiredCode = () =>
  new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
export const limitExceeded = () =>
  new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
export const userNotConfirmed = () => new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
export const passwordResetRequired = () =>
  new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
export const groupExists = make('GroupExistsException');
export const unsupportedOperation = make('UnsupportedOperationException');
export const unsupportedTokenType = make('UnsupportedTokenTypeException');
export const serialization = make('SerializationException');
export const refreshTokenReuse = () =>
  new CognitoError('RefreshTokenReuseException', 'Refresh token has been rotated and can no longer be used.');
export const unknownOperation = (op: string) =>
  new CognitoError(
    'UnknownOperationException',
    `Operation ${op || '(none)'} is not implemented by the local IdP (apps/idp); see apps/idp/README.md for the supported operations.`,
  );
export const internalError = () =>
  new CognitoError('InternalErrorException', 'An internal error occurred in the local IdP.', 500);

/** Cognito's wording for a missing required member ("1 validation error detected: ..."). */
export function missingMember(member: string) {
  const lower = member.charAt(0).toLowerCase() + member.slice(1);
  return invalidParameter(
    `1 validation error detected: Value null at '${lower}' failed to satisfy constraint: Member must not be null`,
  );
}
