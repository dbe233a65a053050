import type { Ctx } from '../context.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import type { UserRecord } from '../store/state.ts';
import { adminUser, poolById } from '../users/lookup.ts';
import { groupType, userType } from '../users/shape.ts';
import { groupByName } from './groups.ts';
import { paginate } from './paging.ts';
import { userPage } from './user-pages.ts';

export const membershipOperations = {
  async AdminAddUserToGroup(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    const group = groupByName(pool, str(input, 'GroupName'));
    if (!user.groups.includes(group.groupName)) user.groups.push(group.groupName);
    await ctx.store.commit();
    return {};
  },

  async AdminRemoveUserFromGroup(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    const group = groupByName(pool, str(input, 'GroupName'));
    user.groups = user.groups.filter((g) => g !== group.groupName);
    await ctx.store.commit();
    return {};
  },

  AdminListGroupsForUser(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const user = adminUser(pool, str(input, 'Username'));
    const groups = user.groups.map((n) => pool.groups[n]).filter((g) => g !== undefined);
    const limit = optInt(input, 'Limit', 1, 60) ?? 60;
    const { page, next } = paginate(groups, (g) => g.groupName, limit, optStr(input, 'NextToken'));
    return { Groups: page.map((g) => groupType(pool.id, g)), NextToken: next };
  },

  ListUsersInGroup(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const group = groupByName(pool, str(input, 'GroupName'));
    const limit = optInt(input, 'Limit', 1, 60) ?? 60;
    const member = (u: UserRecord) => u.groups.includes(group.groupName);
    const { page, next } = userPage(ctx, pool, { match: member }, limit, optStr(input, 'NextToken'));
    return { Users: page.map((u) => userType(u)), NextToken: next };
  },
};
