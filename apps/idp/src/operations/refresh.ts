import type { Ctx } from '../context.ts';
import { checkRefreshDevice } from '../devices/sign-in.ts';
import { invalidParameter, notAuthorized } from '../protocol/errors.ts';
import { type Input, optStr, str } from '../protocol/params.ts';
import type { ClientRecord, PoolRecord } from '../store/state.ts';
import { findRefreshSession, redeemRefreshToken, rotates } from '../tokens/refresh.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { checkClientSecret, checkSecretHash, clientById } from '../users/lookup.ts';
import { need } from './auth-srp.ts';

/** InitiateAuth REFRESH_TOKEN_AUTH (refused when the client rotates refresh tokens). */
export async function refreshSignIn(
  ctx: Ctx,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
) {
  const token = need(params, 'REFRESH_TOKEN');
  if (rotates(client))
    throw invalidParameter(
      'Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.',
    );
  if (client.clientSecret && !params.SECRET_HASH)
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  const found = findRefreshSession(ctx, client, token);
  const user = pool.users[found.session.username];
  checkSecretHash(
    client,
    [params.USERNAME, found.session.username, user?.attributes.email],
    params.SECRET_HASH,
  );
  checkRefreshDevice(pool, found.session, params.DEVICE_KEY);
  return {
    ChallengeParameters: {},
    AuthenticationResult: await redeemRefreshToken(ctx, pool, client, found),
  };
}

export const refreshOperations = {
  /**
   * What Amplify v6 refreshes with. Works with or without ALLOW_REFRESH_TOKEN_AUTH; with rotation on it
   * also returns the replacement RefreshToken. A session on a tracked device needs its DeviceKey.
   */
  async GetTokensFromRefreshToken(ctx: Ctx, input: Input) {
    const token = str(input, 'RefreshToken');
    const { client, pool } = clientById(ctx, str(input, 'ClientId'));
    checkClientSecret(client, optStr(input, 'ClientSecret'));
    const found = findRefreshSession(ctx, client, token);
    checkRefreshDevice(pool, found.session, optStr(input, 'DeviceKey'));
    const result = await redeemRefreshToken(ctx, pool, client, found, clientMetadataOf(input));
    await ctx.store.commit();
    return { AuthenticationResult: result };
  },
};
