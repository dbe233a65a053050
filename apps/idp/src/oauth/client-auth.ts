import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Ctx } from '../context.ts';
import type { ClientRecord, PoolRecord } from '../store/state.ts';
import { basicCredentials, OAuthError } from './http.ts';

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The client of a token or revocation request: client_secret_basic, client_secret_post, or a public
 * client naming itself with client_id. The pool comes from the client, so one IdP serves every pool.
 */
export function authenticateClient(
  ctx: Ctx,
  req: IncomingMessage,
  form: URLSearchParams,
): { client: ClientRecord; pool: PoolRecord } {
  const basic = basicCredentials(req);
  const id = basic?.id ?? form.get('client_id') ?? '';
  const secret = basic?.secret ?? form.get('client_secret') ?? undefined;
  if (basic && form.get('client_id') && form.get('client_id') !== basic.id)
    throw new OAuthError('invalid_request', 'client_id does not match the Authorization header.');
  const client = id ? ctx.store.state.clients[id] : undefined;
  const pool = client && ctx.store.state.pools[client.userPoolId];
  if (!client || !pool) throw new OAuthError('invalid_client');
  if (client.clientSecret) {
    if (secret === undefined || !same(secret, client.clientSecret)) throw new OAuthError('invalid_client');
  } else if (secret) {
    throw new OAuthError('invalid_client');
  }
  return { client, pool };
}
