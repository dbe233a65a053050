import { hmacSha256 } from './hash.ts';
import { requireText } from './protocol.ts';

/**
 * Cognito's SECRET_HASH for app clients that have a secret:
 * base64(HMAC-SHA256(key = clientSecret, message = username + clientId)).
 */
export function secretHash(username: string, clientId: string, clientSecret: string): string {
  const user = requireText('username', username);
  const id = requireText('clientId', clientId);
  const secret = requireText('clientSecret', clientSecret);
  return hmacSha256(secret, user + id).toString('base64');
}
