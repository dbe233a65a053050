import {
  CognitoAccessToken,
  CognitoIdToken,
  CognitoRefreshToken,
  CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { describe, expect, it } from 'vitest';
import { refreshDelay, toSession } from './session.ts';

/** An unsigned JWT: the library only decodes the payload; the API is what verifies signatures. */
function jwt(payload: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256', kid: 'k' })}.${b64(payload)}.c2ln`;
}

describe('toSession', () => {
  it('reads the user from the ID token and shifts expiry by the measured clock drift', () => {
    const iat = 1_700_000_000;
    // ClockDrift is accepted by the constructor but missing from the library's type declarations.
    const s = new CognitoUserSession({
      IdToken: new CognitoIdToken({
        IdToken: jwt({
          sub: 'u-1',
          email: 'ann@example.com',
          name: 'Ann',
          'cognito:username': 'u-1',
          'cognito:groups': ['admin', 7],
          iat,
          exp: iat + 3600,
        }),
      }),
      AccessToken: new CognitoAccessToken({ AccessToken: jwt({ sub: 'u-1', iat, exp: iat + 3600 }) }),
      RefreshToken: new CognitoRefreshToken({ RefreshToken: 'r' }),
      ClockDrift: 5,
    } as ConstructorParameters<typeof CognitoUserSession>[0]);
    const session = toSession(s);
    expect(session.user).toEqual({
      sub: 'u-1',
      username: 'u-1',
      email: 'ann@example.com',
      name: 'Ann',
      groups: ['admin'],
    });
    expect(session.expiresAt).toBe((iat + 3600 + 5) * 1000);
    expect(session.issuedAt).toBe((iat + 5) * 1000);
  });
});

describe('refreshDelay', () => {
  it('refreshes an hour-long token a minute before it expires', () => {
    expect(refreshDelay({ issuedAt: 0, expiresAt: 3_600_000 }, 0)).toBe(3_540_000);
  });
  it('refreshes a short test token at three quarters of its life', () => {
    expect(refreshDelay({ issuedAt: 0, expiresAt: 20_000 }, 0)).toBe(15_000);
  });
  it('refreshes at once when the moment has passed', () => {
    expect(refreshDelay({ issuedAt: 0, expiresAt: 20_000 }, 19_000)).toBe(0);
  });
});
