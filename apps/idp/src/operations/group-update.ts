import type { Ctx } from '../context.ts';
import { checkArn, checkLength } from '../pools/constraints.ts';
import { type Input, optInt, str } from '../protocol/params.ts';
import { poolById } from '../users/lookup.ts';
import { groupType } from '../users/shape.ts';
import { groupByName } from './groups.ts';

export const groupUpdateOperations = {
  /** UpdateGroup: changes the description, precedence or role it is given; the rest stays. */
  async UpdateGroup(ctx: Ctx, input: Input) {
    // The request is checked before the pool and group are looked up, as Cognito does.
    const description =
      input.Description == null ? undefined : checkLength('description', input.Description, 0, 2048);
    const roleArn = input.RoleArn == null ? undefined : checkArn('roleArn', input.RoleArn);
    const precedence = optInt(input, 'Precedence', 0, 2 ** 31 - 1);
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const g = groupByName(pool, str(input, 'GroupName'));
    if (description !== undefined) g.description = description;
    if (roleArn !== undefined) g.roleArn = roleArn;
    if (precedence !== undefined) g.precedence = precedence;
    g.modifiedAt = ctx.clock();
    await ctx.store.commit();
    return { Group: groupType(pool.id, g) };
  },
};
