import type { Ctx } from '../context.ts';
import { authEventType, recordsEvents } from '../events/auth-events.ts';
import { CognitoError } from '../protocol/errors.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import { adminUser, poolById } from '../users/lookup.ts';
import { paginate } from './paging.ts';

/** Sorts newest first under paginate's ascending key order. */
const newestFirst = (seq: number) => String(1e12 - seq).padStart(13, '0');

export const authEventOperations = {
  /**
   * The user's sign-in and account events, newest first. Cognito answers only pools with threat
   * protection (UserPoolAddOns AUDIT or ENFORCED, the Plus tier); others get
   * UserPoolAddOnNotEnabledException, as here.
   */
  AdminListUserAuthEvents(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    const limit = optInt(input, 'MaxResults', 0, 60) || 60;
    const token = optStr(input, 'NextToken');
    if (!recordsEvents(pool))
      throw new CognitoError(
        'UserPoolAddOnNotEnabledException',
        'Threat protection (UserPoolAddOns AdvancedSecurityMode AUDIT or ENFORCED) is not enabled for this user pool.',
      );
    const { page, next } = paginate(user.authEvents ?? [], (e) => newestFirst(e.seq), limit, token);
    return { AuthEvents: page.map(authEventType), ...(next ? { NextToken: next } : {}) };
  },
};
