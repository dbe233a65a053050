import type { Ctx } from '../context.ts';
import { poolArn } from '../pools/describe.ts';
import { parseTags } from '../pools/settings.ts';
import { invalidParameter, resourceNotFound } from '../protocol/errors.ts';
import { type Input, optStrList, str } from '../protocol/params.ts';
import { dict } from '../store/dict.ts';
import type { PoolRecord } from '../store/state.ts';

/** The user pool a tagging ARN names (user pools are Cognito's only taggable resource). */
function poolByArn(ctx: Ctx, arn: string): PoolRecord {
  const pool = Object.values(ctx.store.state.pools).find((p) => poolArn(p) === arn);
  if (!pool) throw resourceNotFound(`Resource ${arn} does not exist.`);
  return pool;
}

export const tagOperations = {
  async TagResource(ctx: Ctx, input: Input) {
    const pool = poolByArn(ctx, str(input, 'ResourceArn'));
    const tags = parseTags(input.Tags, 'tags');
    const merged = { ...(pool.tags ?? {}), ...tags };
    if (Object.keys(merged).length > 50) throw invalidParameter('A user pool can have at most 50 tags.');
    pool.tags = dict(merged);
    await ctx.store.commit();
    return {};
  },

  async UntagResource(ctx: Ctx, input: Input) {
    const pool = poolByArn(ctx, str(input, 'ResourceArn'));
    const keys = optStrList(input, 'TagKeys') ?? [];
    const tags = dict({ ...(pool.tags ?? {}) });
    for (const k of keys) delete tags[k];
    pool.tags = tags;
    await ctx.store.commit();
    return {};
  },

  ListTagsForResource(ctx: Ctx, input: Input) {
    const pool = poolByArn(ctx, str(input, 'ResourceArn'));
    return { Tags: { ...(pool.tags ?? {}) } };
  },
};
