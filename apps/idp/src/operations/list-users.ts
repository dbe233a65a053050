import { normaliseEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optInt, optStr, optStrList, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { caseKey, poolById } from '../users/lookup.ts';
import { userType } from '../users/shape.ts';
import { paginate } from './paging.ts';

/** The attributes ListUsers can filter on, as Cognito documents them (a Map: no inherited names). */
const filterable = new Map<string, (u: UserRecord) => string | undefined>([
  ['username', (u) => u.username],
  ['email', (u) => u.attributes.email],
  ['phone_number', (u) => u.attributes.phone_number],
  ['name', (u) => u.attributes.name],
  ['given_name', (u) => u.attributes.given_name],
  ['family_name', (u) => u.attributes.family_name],
  ['preferred_username', (u) => u.attributes.preferred_username],
  ['cognito:user_status', (u) => u.status],
  ['status', (u) => (u.enabled ? 'Enabled' : 'Disabled')],
  ['sub', (u) => u.sub],
]);

/**
 * How a filter compares values: e-mails by their normaliseEmail (ADR 0078); `username` (as the pool's
 * UsernameConfiguration says) and `status` case-sensitively, as Cognito documents; the rest ignoring case.
 */
function comparer(pool: PoolRecord, attr: string): (v: string) => string {
  if (attr === 'email') return normaliseEmail;
  if (attr === 'username') return (v) => caseKey(pool, v);
  if (attr === 'status') return (v) => v;
  return (v) => v.toLowerCase();
}

/** `attribute = "value"` (exact) or `attribute ^= "prefix"`. */
export function parseFilter(pool: PoolRecord, filter: string): (u: UserRecord) => boolean {
  if (!filter.trim()) return () => true;
  const m = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!m) throw invalidParameter('Error while parsing filter.');
  const [, attr, op, raw] = m as unknown as [string, string, string, string];
  const read = filterable.get(attr);
  if (!read) throw invalidParameter(`Invalid search attribute: ${attr}`);
  const comparable = comparer(pool, attr);
  const wanted = comparable(raw.replace(/\\(.)/g, '$1'));
  return (u) => {
    const found = read(u);
    if (found === undefined) return false;
    const v = comparable(found);
    return op === '=' ? v === wanted : v.startsWith(wanted);
  };
}

export const listUserOperations = {
  ListUsers(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const match = parseFilter(pool, optStr(input, 'Filter') ?? '');
    const limit = optInt(input, 'Limit', 0, 60) || 60;
    const only = optStrList(input, 'AttributesToGet');
    // A read-only scan of the raw records: through the store's change-tracking views (ADR 0184) a
    // 100k-user pool costs several times more.
    const users = Object.values(ctx.store.unwrap(pool).users).filter(match);
    const { page, next } = paginate(users, (u) => u.username, limit, optStr(input, 'PaginationToken'));
    return { Users: page.map((u) => userType(u, only)), PaginationToken: next };
  },
};
