import type { AdminUser, AdminUserListQuery, AdminUserPage, Group } from '@app/api-contract';
import {
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type GroupType,
  ListGroupsCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Queryable } from '../../db/index.ts';
import { badRequest, notFound } from '../../errors.ts';
import { passwordPolicyMessage } from '../password-policy.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';

function attribute(user: UserType, name: string): string | null {
  return user.Attributes?.find((a) => a.Name === name)?.Value ?? null;
}

export function toAdminUser(user: UserType, lastSeen = new Map<string, Date>()): AdminUser {
  const sub = attribute(user, 'sub') ?? user.Username ?? '';
  const seen = lastSeen.get(sub);
  return {
    username: user.Username ?? '',
    sub,
    email: attribute(user, 'email'),
    name: attribute(user, 'name'),
    status: user.UserStatus ?? 'UNKNOWN',
    enabled: user.Enabled ?? true,
    created_at: (user.UserCreateDate ?? new Date(0)).toISOString(),
    last_seen_at: seen ? new Date(seen).toISOString() : null,
  };
}

export const toGroup = (g: GroupType): Group => ({
  group_name: g.GroupName ?? '',
  description: g.Description ?? null,
});

/** A value in Cognito's ListUsers filter language: double-quoted; quotes and backslashes escaped. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

export function emailPrefixFilter(prefix: string): string {
  return `email ^= ${quoted(prefix)}`;
}

/** The one `Filter` a list query asks for (ListUsers takes one), or undefined for none. */
export function listUsersFilter(query: Pick<AdminUserListQuery, 'email' | 'name' | 'status'>) {
  const filters = [
    query.email ? emailPrefixFilter(query.email) : null,
    query.name ? `name ^= ${quoted(query.name)}` : null,
    query.status ? `cognito:user_status = ${quoted(query.status)}` : null,
  ].filter((f): f is string => f !== null);
  if (filters.length > 1) throw badRequest('Search by one of e-mail, name or status at a time.');
  return filters[0];
}

/**
 * What the admin console reads about users and groups (ADR 0151): pages of ListUsers in Cognito's
 * order with one filter, the pool's estimated count on the first page, and when the API last saw
 * each user (from its `users` rows: Cognito keeps no last sign-in).
 */
export class AdminDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly db: Queryable,
  ) {}

  async listUsers(query: AdminUserListQuery): Promise<AdminUserPage> {
    const filter = listUsersFilter(query);
    try {
      const [out, total] = await Promise.all([
        this.cognito.send(
          new ListUsersCommand({
            UserPoolId: this.userPoolId,
            Limit: query.limit,
            ...(query.next_token ? { PaginationToken: query.next_token } : {}),
            ...(filter ? { Filter: filter } : {}),
          }),
        ),
        query.next_token ? null : this.estimatedTotal(),
      ]);
      const users = out.Users ?? [];
      const lastSeen = await this.lastSeen(users.map((u) => attribute(u, 'sub') ?? u.Username ?? ''));
      return {
        users: users.map((u) => toAdminUser(u, lastSeen)),
        next_token: out.PaginationToken ?? null,
        estimated_total: total,
      };
    } catch (err) {
      if (isCognitoError(err, 'InvalidParameterException'))
        throw badRequest('The filter or page token is invalid.');
      throw upstreamProblem(err);
    }
  }

  async listGroups(): Promise<Group[]> {
    const groups: Group[] = [];
    let next: string | undefined;
    try {
      do {
        const out = await this.cognito.send(
          new ListGroupsCommand({
            UserPoolId: this.userPoolId,
            Limit: 60,
            ...(next ? { NextToken: next } : {}),
          }),
        );
        groups.push(...(out.Groups ?? []).map(toGroup));
        next = out.NextToken;
      } while (next);
    } catch (err) {
      throw upstreamProblem(err);
    }
    return groups;
  }

  async groupsForUser(username: string): Promise<Group[]> {
    const groups: Group[] = [];
    let next: string | undefined;
    await aboutUser(async () => {
      do {
        const out = await this.cognito.send(
          new AdminListGroupsForUserCommand({
            UserPoolId: this.userPoolId,
            Username: username,
            Limit: 60,
            ...(next ? { NextToken: next } : {}),
          }),
        );
        groups.push(...(out.Groups ?? []).map(toGroup));
        next = out.NextToken;
      } while (next);
    });
    return groups;
  }

  /** DescribeUserPool's EstimatedNumberOfUsers: Cognito's own word for it is "estimated". */
  private async estimatedTotal(): Promise<number | null> {
    const out = await this.cognito.send(new DescribeUserPoolCommand({ UserPoolId: this.userPoolId }));
    return out.UserPool?.EstimatedNumberOfUsers ?? null;
  }

  private async lastSeen(subs: string[]): Promise<Map<string, Date>> {
    if (subs.length === 0) return new Map();
    const { rows } = await this.db.query<{ sub: string; last_seen_at: Date }>(
      'select sub, last_seen_at from users where sub = any($1::text[])',
      [subs],
    );
    return new Map(rows.map((r) => [r.sub, r.last_seen_at]));
  }
}

/** Runs calls about one user (and group), answering Cognito's errors in this API's terms. */
export async function aboutUser<T>(calls: () => Promise<T>): Promise<T> {
  try {
    return await calls();
  } catch (err) {
    throw userProblem(err);
  }
}

/** Admins may learn whether a user or group exists; 404 is honest here. */
function userProblem(err: unknown) {
  if (isCognitoError(err, 'UserNotFoundException')) return notFound('No such user.');
  if (isCognitoError(err, 'ResourceNotFoundException')) return notFound('No such group.');
  if (isCognitoError(err, 'InvalidPasswordException')) return badRequest(passwordPolicyMessage());
  if (isCognitoError(err, 'InvalidParameterException'))
    return badRequest('The user or group name is invalid.');
  return upstreamProblem(err);
}
