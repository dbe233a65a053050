import { describe, expect, it } from 'vitest';
import { AuthError, asLockedOut, forCurrentPassword, isLockedOut, toAuthError } from './errors.ts';

function cognitoError(code: string, message: string) {
  // The shape amazon-cognito-identity-js's Client rejects with.
  return Object.assign(new Error(message), { code, name: code, statusCode: 400 });
}

describe('toAuthError', () => {
  it('puts Cognito error names into plain words and keeps the name as code', () => {
    const e = toAuthError(cognitoError('CodeMismatchException', 'Invalid verification code provided'));
    expect(e).toBeInstanceOf(AuthError);
    expect(e.code).toBe('CodeMismatchException');
    expect(e.message).toMatch(/code is not right/);
  });

  it('tells a wrong password, a disabled account and a revoked session apart', () => {
    expect(
      toAuthError(cognitoError('NotAuthorizedException', 'Incorrect username or password.')).message,
    ).toMatch(/password is not right/);
    expect(toAuthError(cognitoError('NotAuthorizedException', 'User is disabled.')).message).toMatch(
      /disabled/,
    );
    expect(
      toAuthError(cognitoError('NotAuthorizedException', 'Refresh Token has been revoked')).message,
    ).toMatch(/session has ended/);
  });

  it('answers an unknown user exactly like a wrong password (no account enumeration)', () => {
    expect(toAuthError(cognitoError('UserNotFoundException', 'User does not exist.')).message).toBe(
      toAuthError(cognitoError('NotAuthorizedException', 'Incorrect username or password.')).message,
    );
  });

  it('maps the library network failure and unknown errors without leaking their text', () => {
    expect(toAuthError(new Error('Network error')).code).toBe('NetworkError');
    const e = toAuthError(cognitoError('SomethingNewException', 'internal detail xyz'));
    expect(e.message).not.toContain('xyz');
    expect(toAuthError(undefined).code).toBe('Unknown');
  });

  it('speaks of the current password when ChangePassword refuses it, and only then', () => {
    const wrong = toAuthError(cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    expect(forCurrentPassword(wrong).message).toBe('Your current password is not right.');
    expect(forCurrentPassword(wrong).message).not.toMatch(/e-mail/);
    const locked = toAuthError(cognitoError('NotAuthorizedException', 'Password attempts exceeded'));
    expect(forCurrentPassword(locked).message).toBe(locked.message);
  });

  it('names the lockout without promising "a few minutes", and can say it again', () => {
    const locked = toAuthError(cognitoError('NotAuthorizedException', 'Password attempts exceeded'));
    expect(isLockedOut(locked)).toBe(true);
    expect(locked.message).toMatch(/locked/);
    expect(locked.message).not.toMatch(/few minutes/);
    const wrong = toAuthError(cognitoError('NotAuthorizedException', 'Incorrect username or password.'));
    expect(isLockedOut(wrong)).toBe(false);
    expect(isLockedOut(asLockedOut(wrong))).toBe(true);
  });
});
