import type { AdminUser, AdminUserPage, Group } from '@app/api-contract';
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
  type GroupType,
  ListGroupsCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { badRequest, notFound } from '../../errors.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';

function attribute(user: UserType, name: string): string | null {
  return user.Attributes?.find((a) => a.Name === name)?.Value ?? null;
}

function toAdminUser(user: UserType): AdminUser {
  return {
    username: user.Username ?? '',
    sub: attribute(user, 'sub') ?? user.Username ?? '',
    email: attribute(user, 'email'),
    name: attribute(user, 'name'),
    status: user.UserStatus ?? 'UNKNOWN',
    enabled: user.Enabled ?? true,
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
  };
}

const toGroup = (g: GroupType): Group => ({
  groupName: g.GroupName ?? '',
  description: g.Description ?? null,
});

/** Cognito's ListUsers filter language: a double-quoted string; quotes and backslashes escaped. */
export function emailPrefixFilter(prefix: string): string {
  return `email ^= "${prefix.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** User-pool administration for the admin group; the API's own IAM role makes these calls. */
export class AdminService {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async listUsers(query: {
    limit: number;
    nextToken?: string | undefined;
    email?: string | undefined;
  }): Promise<AdminUserPage> {
    try {
      const out = await this.cognito.send(
        new ListUsersCommand({
          UserPoolId: this.userPoolId,
          Limit: query.limit,
          ...(query.nextToken ? { PaginationToken: query.nextToken } : {}),
          ...(query.email ? { Filter: emailPrefixFilter(query.email) } : {}),
        }),
      );
      return { users: (out.Users ?? []).map(toAdminUser), nextToken: out.PaginationToken ?? null };
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
    await this.aboutUser(async () => {
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

  async addToGroup(username: string, groupName: string): Promise<void> {
    const input = { UserPoolId: this.userPoolId, Username: username, GroupName: groupName };
    await this.aboutUser(() => this.cognito.send(new AdminAddUserToGroupCommand(input)));
  }

  async removeFromGroup(username: string, groupName: string): Promise<void> {
    const input = { UserPoolId: this.userPoolId, Username: username, GroupName: groupName };
    await this.aboutUser(() => this.cognito.send(new AdminRemoveUserFromGroupCommand(input)));
  }

  /**
   * Disables the user and signs them out everywhere; returns the sub so the caller can also refuse
   * the user's still-valid access tokens in this API (Cognito does not revoke those on disable).
   */
  async disable(username: string): Promise<string> {
    const input = { UserPoolId: this.userPoolId, Username: username };
    return this.aboutUser(async () => {
      const user = await this.cognito.send(new AdminGetUserCommand(input));
      await this.cognito.send(new AdminDisableUserCommand(input));
      await this.cognito.send(new AdminUserGlobalSignOutCommand(input));
      return user.UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? user.Username ?? username;
    });
  }

  async enable(username: string): Promise<void> {
    const input = { UserPoolId: this.userPoolId, Username: username };
    await this.aboutUser(() => this.cognito.send(new AdminEnableUserCommand(input)));
  }

  /** Runs calls about one user (and group), answering Cognito's errors in this API's terms. */
  private async aboutUser<T>(calls: () => Promise<T>): Promise<T> {
    try {
      return await calls();
    } catch (err) {
      throw this.mapUserError(err);
    }
  }

  /** Admins may learn whether a user or group exists; 404 is honest here. */
  private mapUserError(err: unknown) {
    if (isCognitoError(err, 'UserNotFoundException')) return notFound('No such user.');
    if (isCognitoError(err, 'ResourceNotFoundException')) return notFound('No such group.');
    if (isCognitoError(err, 'InvalidParameterException'))
      return badRequest('The user or group name is invalid.');
    return upstreamProblem(err);
  }
}
