import type { CognitoUserPool } from 'amazon-cognito-identity-js';
import { toAuthError } from './errors.ts';

/** One Cognito operation by name (X-Amz-Target), its answer as JSON; errors become AuthErrors. */
export type CognitoCall = <T = Record<string, unknown>>(
  op: string,
  params: Record<string, unknown>,
) => Promise<T>;

/**
 * The library's own HTTP client, for the operations it has no method for (USER_AUTH, EMAIL_OTP,
 * passkeys, GetUserAuthFactors): same endpoint, headers and retry rules as its SRP calls.
 */
export function cognitoCall(pool: CognitoUserPool): CognitoCall {
  type Request = (op: string, params: unknown, cb: (err: unknown, data?: unknown) => void) => void;
  const client = (pool as unknown as { client: { request: Request } }).client;
  return <T>(op: string, params: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) =>
      client.request(op, params, (err, data) => (err ? reject(toAuthError(err)) : resolve(data as T))),
    );
}
