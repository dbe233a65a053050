import { normaliseEmail } from '@app/pool-definition/email';
import type { Ctx } from '../context.ts';
import { invalidParameter } from '../protocol/errors.ts';
import { type Input, optInt, optStr, optStrList, str } from '../protocol/params.ts';
import type { PoolRecord, UserRecord } from '../store/state.ts';
import { poolIndex } from '../store/user-index.ts';
import { caseInsensitive, poolById } from '../users/lookup.ts';
import { userType } from '../users/shape.ts';
import { userPage } from './user-pages.ts';

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
  if (attr === 'username') return caseInsensitive(pool) ? (v) => v.toLowerCase() : (v) => v;
  if (attr === 'status') return (v) => v;
  return (v) => v.toLowerCase();
}

/** Filters answered from an ordered index of the pool (ADR 0186): the rest are a scan of raw records. */
const indexedAttributes = new Set(['username', 'email', 'phone_number', 'preferred_username', 'sub']);

export interface ParsedFilter {
  match: (u: UserRecord) => boolean;
  /** For an indexed attribute: the index's name (it names the comparison rule), its key and the value. */
  indexed?: { id: string; keyOf: (u: UserRecord) => string | undefined; wanted: string; prefix: boolean };
}

/** `attribute = "value"` (exact) or `attribute ^= "prefix"`; an empty filter matches every user. */
export function readFilter(pool: PoolRecord, filter: string): ParsedFilter {
  if (!filter.trim()) return { match: () => true };
  const m = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
  if (!m) throw invalidParameter('Error while parsing filter.');
  const [, attr, op, raw] = m as unknown as [string, string, string, string];
  const read = filterable.get(attr);
  if (!read) throw invalidParameter(`Invalid search attribute: ${attr}`);
  const comparable = comparer(pool, attr);
  const wanted = comparable(raw.replace(/\\(.)/g, '$1'));
  const prefix = op === '^=';
  const keyOf = (u: UserRecord) => {
    const found = read(u);
    return found === undefined ? undefined : comparable(found);
  };
  const match = (u: UserRecord) => {
    const v = keyOf(u);
    return v !== undefined && (prefix ? v.startsWith(wanted) : v === wanted);
  };
  if (!indexedAttributes.has(attr)) return { match };
  const id = attr === 'username' ? `username:${caseInsensitive(pool) ? 'folded' : 'exact'}` : attr;
  return { match, indexed: { id, keyOf, wanted, prefix } };
}

/** The filter as a predicate (tests and callers without an index). */
export const parseFilter = (pool: PoolRecord, filter: string) => readFilter(pool, filter).match;

export const listUserOperations = {
  ListUsers(ctx: Ctx, input: Input) {
    const pool = poolById(ctx, str(input, 'UserPoolId'));
    const filter = readFilter(pool, optStr(input, 'Filter') ?? '');
    const limit = optInt(input, 'Limit', 0, 60) || 60;
    const only = optStrList(input, 'AttributesToGet');
    const index = filter.indexed && poolIndex(pool);
    const names =
      filter.indexed && index
        ? index
            .sorted(filter.indexed.id, filter.indexed.keyOf)
            .matching(filter.indexed.wanted, filter.indexed.prefix)
        : undefined;
    // An index's answer is exact: its users need no second test.
    const select = names ? { names, match: () => true } : { match: filter.match };
    const { page, next } = userPage(ctx, pool, select, limit, optStr(input, 'PaginationToken'));
    return { Users: page.map((u) => userType(u, only)), PaginationToken: next };
  },
};
