import type { CognitoUser, CognitoUserPool, CognitoUserSession } from 'amazon-cognito-identity-js';
import { toAuthError } from './errors.ts';

/**
 * One adjustment to the library's requests: it retries a refused refresh with backoff for ~6 s;
 * a refused refresh token never becomes valid, so such errors are marked final and the user is
 * told at once.
 */
const RETRYABLE = new Set(['NetworkError', 'TooManyRequestsException', 'InternalErrorException', 'Unknown']);

export function adjustRequests(pool: CognitoUserPool) {
  type Callback = (err: unknown, data?: unknown) => void;
  type Request = (op: string, params: Record<string, unknown>, cb: Callback) => void;
  const client = (pool as unknown as { client: { request: Request } }).client;
  const request = client.request.bind(client);
  client.request = (op, params, cb) => {
    request(op, params, (err, data) => {
      const e = err as { code?: string; nonRetryable?: boolean } | null;
      if (e && typeof e === 'object' && !RETRYABLE.has(e.code ?? 'Unknown')) e.nonRetryable = true;
      cb(err, data);
    });
  };
}

export function sessionOf(user: CognitoUser): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    user.getSession((err: Error | null, s: CognitoUserSession | null) => {
      if (err || !s) return reject(toAuthError(err));
      resolve(s);
    });
  });
}
