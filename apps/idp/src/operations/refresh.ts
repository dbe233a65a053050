import type { Ctx } from '../context.ts';
import { checkRefreshDevice } from '../devices/sign-in.ts';
import { type Input, optStr, str } from '../protocol/params.ts';
import { findRefreshSession, redeemRefreshToken } from '../tokens/refresh.ts';
import { clientMetadataOf } from '../triggers/events.ts';
import { checkClientSecret, clientById } from '../users/lookup.ts';

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
