import { describe, expect, it } from 'vitest';
import { AuthError } from './errors.ts';
import { codeError, stepOf } from './sign-in-challenge.ts';

describe('stepOf', () => {
  it('maps Cognito challenges to the steps the page shows', () => {
    expect(stepOf({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {} })).toEqual({
      kind: 'code',
      factor: 'SOFTWARE_TOKEN_MFA',
      destination: null,
    });
    expect(
      stepOf({ ChallengeName: 'EMAIL_OTP', ChallengeParameters: { CODE_DELIVERY_DESTINATION: 'a***@e***' } }),
    ).toEqual({ kind: 'code', factor: 'EMAIL_OTP', destination: 'a***@e***' });
    expect(
      stepOf({ ChallengeName: 'SMS_MFA', ChallengeParameters: { CODE_DELIVERY_DESTINATION: '+***1234' } }),
    ).toMatchObject({ factor: 'SMS_MFA', destination: '+***1234' });
    expect(
      stepOf({
        ChallengeName: 'SELECT_MFA_TYPE',
        ChallengeParameters: { MFAS_CAN_CHOOSE: '["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]' },
      }),
    ).toEqual({ kind: 'selectMfa', factors: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] });
    expect(
      stepOf({
        ChallengeName: 'MFA_SETUP',
        ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' },
      }),
    ).toEqual({ kind: 'mfaSetup', factors: ['SOFTWARE_TOKEN_MFA'] });
    expect(
      stepOf({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD_SRP', 'WEB_AUTHN'] }),
    ).toEqual({
      kind: 'selectChallenge',
      choices: ['PASSWORD_SRP', 'WEB_AUTHN'],
    });
    expect(stepOf({ ChallengeName: 'WEB_AUTHN', ChallengeParameters: {} })).toEqual({ kind: 'passkey' });
  });

  it('reads a malformed factor list as empty, and refuses challenges it cannot answer', () => {
    expect(
      stepOf({ ChallengeName: 'SELECT_MFA_TYPE', ChallengeParameters: { MFAS_CAN_CHOOSE: 'nope' } }),
    ).toEqual({
      kind: 'selectMfa',
      factors: [],
    });
    expect(() => stepOf({ ChallengeName: 'CUSTOM_CHALLENGE' })).toThrow(/does not offer/);
  });
});

describe('codeError', () => {
  const mismatch = new AuthError(
    'CodeMismatchException',
    'That code is not right. Check the e-mail and try again.',
  );
  it('names where the code came from', () => {
    expect((codeError(mismatch, 'SOFTWARE_TOKEN_MFA') as Error).message).toMatch(/authenticator app/);
    expect((codeError(mismatch, 'EMAIL_OTP') as Error).message).toMatch(/e-mail/);
    expect((codeError(mismatch, 'SMS_MFA') as Error).message).toMatch(/text message/);
  });
  it('says a used app code is used, and a timed-out sign-in starts again', () => {
    expect(
      (codeError(new AuthError('ExpiredCodeException', 'x'), 'SOFTWARE_TOKEN_MFA') as Error).message,
    ).toMatch(/used already/);
    const expired = new AuthError(
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
    expect((codeError(expired, 'EMAIL_OTP') as Error).message).toMatch(/Start again/);
    const other = new AuthError('LimitExceededException', 'Too many attempts.');
    expect(codeError(other, 'EMAIL_OTP')).toBe(other);
  });
});
