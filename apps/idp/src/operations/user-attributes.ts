import type { Ctx } from '../context.ts';
import { schemaOf } from '../pools/schema.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optStrList, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { authenticateAccessToken } from '../tokens/access.ts';
import { adminUser, poolById } from '../users/lookup.ts';

const schemaError = (name: string, why: string) =>
  invalidParameter(`Attributes did not conform to the schema: ${name}: ${why}`);

/**
 * Removes attributes from a user: each must exist in the schema (dev:custom only for administrators),
 * be mutable and not required, and not be the pool's username attribute. Deleting `email` or
 * `phone_number` also removes its `_verified` flag. All are checked before any is removed.
 */
function deleteAttributes(ctx: Ctx, pool: PoolRecord, user: UserRecord, names: string[], admin: boolean) {
  const schema = schemaOf(pool.schema);
  for (const name of names) {
    const a = schema.find((s) => s.name === name);
    if (!a || name === 'sub' || (a.developerOnly && !admin))
      throw schemaError(name, 'Attribute does not exist in the schema.');
    if (a.required) throw schemaError(name, 'The attribute is required');
    if (!a.mutable) throw invalidParameter(`Cannot modify an immutable attribute: ${name}`);
    if (pool.usernameAttributes.includes(name))
      throw invalidParameter(`Cannot delete the username attribute ${name}.`);
  }
  for (const name of names) {
    delete user.attributes[name];
    if (name === 'email' || name === 'phone_number') delete user.attributes[`${name}_verified`];
    if (name === 'email') user.pendingEmail = undefined;
    if (name === 'phone_number') user.pendingPhone = undefined;
  }
  user.modifiedAt = ctx.clock();
}

function names(input: Input): string[] {
  const list = optStrList(input, 'UserAttributeNames');
  if (!list)
    throw invalidParameter(
      "1 validation error detected: Value null at 'userAttributeNames' failed to satisfy constraint: Member must not be null",
    );
  return list;
}

export const userAttributeOperations = {
  async DeleteUserAttributes(ctx: Ctx, input: Input) {
    const attrs = names(input);
    const { pool, user } = authenticateAccessToken(ctx, str(input, 'AccessToken'));
    deleteAttributes(ctx, pool, user, attrs, false);
    await ctx.store.commit();
    return {};
  },

  async AdminDeleteUserAttributes(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const attrs = names(input);
    const user = adminUser(pool, str(input, 'Username'));
    deleteAttributes(ctx, pool, user, attrs, true);
    await ctx.store.commit();
    return {};
  },
};
