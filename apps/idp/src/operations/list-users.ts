import { normaliseEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optInt, optStr, optStrList, str } from '../protocol/params.ts';
import type { UserRecord } from '../store/state.ts';
import { poolById } from '../users/lookup.ts';
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

/** E-mails compare by their normaliseEmail (ADR 0078), everything else case-insensitively. */
const comparable = (attr: string, v: string) => (attr === 'email' ? normaliseEmail(v) : v.toLowerCase());

/** `attribute = "value"` (exact) or `attribute ^= "prefix"`. */
export function parseFilter(filter: string): (u: UserRecord) => boolean {
  if (!filter.trim()) return () => true;
  const m = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!m) throw invalidParameter('Error while parsing filter.');
  const [, attr, op, raw] = m as unknown as [string, string, string, string];
  const read = filterable.get(attr);
  if (!read) throw invalidParameter(`Invalid search attribute: ${attr}`);
  const wanted = comparable(attr, raw.replace(/\\(.)/g, '$1'));
  return (u) => {
    const found = read(u);
    if (found === undefined) return false;
    const v = comparable(attr, found);
    return op === '=' ? v === wanted : v.startsWith(wanted);
  };
}

export const listUserOperations = {
  ListUsers(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const match = parseFilter(optStr(input, 'Filter') ?? '');
    const limit = optInt(input, 'Limit', 0, 60) || 60;
    const only = optStrList(input, 'AttributesToGet');
    const users = Object.values(pool.users).filter(match);
    const { page, next } = paginate(users, (u) => u.username, limit, optStr(input, 'PaginationToken'));
    return { Users: page.map((u) => userType(u, only)), PaginationToken: next };
  },
};
