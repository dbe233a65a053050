import type { Ctx } from '../context.ts';
import { groupExists, invalidParameter, resourceNotFound } from '../protocol/errors.ts';
import { type Input, optInt, optStr, str } from '../protocol/params.ts';
import type { GroupRecord, PoolRecord } from '../store/state.ts';
import { poolById } from '../users/lookup.ts';
import { groupType } from '../users/shape.ts';
import { paginate } from './paging.ts';

export interface NewGroup {
  groupName: string;
  description?: string;
  precedence?: number;
  roleArn?: string;
}

export function createGroup(ctx: Ctx, pool: PoolRecord, input: NewGroup): GroupRecord {
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u.test(input.groupName))
    throw invalidParameter(`Invalid group name: ${input.groupName}`);
  if (pool.groups[input.groupName])
    throw groupExists(`A group with the name ${input.groupName} already exists.`);
  const now = ctx.clock();
  const g: GroupRecord = { ...input, createdAt: now, modifiedAt: now };
  pool.groups[input.groupName] = g;
  // The stored record as the store tracks it: later changes through it are written (ADR 0184).
  return pool.groups[input.groupName]!;
}

export function groupByName(pool: PoolRecord, name: string): GroupRecord {
  const g = pool.groups[name];
  if (!g) throw resourceNotFound('Group not found.');
  return g;
}

export const groupOperations = {
  async CreateGroup(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const g = createGroup(ctx, pool, {
      groupName: str(input, 'GroupName'),
      description: optStr(input, 'Description'),
      precedence: optInt(input, 'Precedence', 0, 2 ** 31 - 1),
      roleArn: optStr(input, 'RoleArn'),
    });
    await ctx.store.commit();
    return { Group: groupType(pool.id, g) };
  },

  GetGroup(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    return { Group: groupType(pool.id, groupByName(pool, str(input, 'GroupName'))) };
  },

  /** ListGroups: Limit 0 to 60 (0 or none: 60 a page), checked before the pool is looked up. */
  ListGroups(ctx: Ctx, input: Input) {
    const limit = optInt(input, 'Limit', 0, 60) || 60;
    const token = optStr(input, 'NextToken');
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const groups = Object.values(pool.groups).sort((a, b) => a.groupName.localeCompare(b.groupName));
    const { page, next } = paginate(groups, (g) => g.groupName, limit, token);
    return { Groups: page.map((g) => groupType(pool.id, g)), NextToken: next };
  },

  async DeleteGroup(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const g = groupByName(pool, str(input, 'GroupName'));
    delete pool.groups[g.groupName];
    for (const u of Object.values(pool.users)) u.groups = u.groups.filter((n) => n !== g.groupName);
    await ctx.store.commit();
    return {};
  },
};
