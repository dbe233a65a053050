import type { AdminUser, AdminUserPage, Group } from '@app/api-contract';
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  type GroupType,
  ListGroupsCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { badRequest, notFound } from '../../errors.ts';
import type { AccountDeletion } from '../account-deletion.ts';
import { passwordMeetsPolicy, passwordPolicyMessage } from '../password-policy.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';
import { idpMomentOf } from './idp-clock.ts';
import { ADMIN_GROUP, type LastAdminGuard } from './last-admin.ts';
import type { Sessions } from './sessions.ts';

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
    created_at: (user.UserCreateDate ?? new Date(0)).toISOString(),
  };
}

const toGroup = (g: GroupType): Group => ({
  group_name: g.GroupName ?? '',
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
    private readonly sessions: Sessions,
    private readonly lastAdmin: LastAdminGuard,
    private readonly deletion: AccountDeletion,
  ) {}

  async listUsers(query: {
    limit: number;
    next_token?: string | undefined;
    email?: string | undefined;
  }): Promise<AdminUserPage> {
    try {
      const out = await this.cognito.send(
        new ListUsersCommand({
          UserPoolId: this.userPoolId,
          Limit: query.limit,
          ...(query.next_token ? { PaginationToken: query.next_token } : {}),
          ...(query.email ? { Filter: emailPrefixFilter(query.email) } : {}),
        }),
      );
      return { users: (out.Users ?? []).map(toAdminUser), next_token: out.PaginationToken ?? null };
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

  /**
   * Removes the user from a group and ends every session of theirs (ADR 0070): tokens carry the
   * groups they were minted with, so the old ones must not keep the group's rights until they expire.
   */
  async removeFromGroup(username: string, groupName: string): Promise<void> {
    await this.aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const input = { UserPoolId: this.userPoolId, Username: user.username, GroupName: groupName };
      const remove = () => this.cognito.send(new AdminRemoveUserFromGroupCommand(input));
      if (groupName === ADMIN_GROUP && user.enabled) await this.lastAdmin.protect(user.username, remove);
      else await remove();
      // The user may sign in again at once (with the groups they have now): wait past the cut-off.
      await this.sessions.waitPastCutOff(await this.sessions.endAll(user));
    });
  }

  /** Disables the user, signs them out at the IdP and refuses their issued tokens here at once. */
  async disable(username: string): Promise<void> {
    await this.aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const input = { UserPoolId: this.userPoolId, Username: user.username };
      await this.lastAdmin.protect(user.username, () =>
        this.cognito.send(new AdminDisableUserCommand(input)),
      );
      // No wait: a disabled user cannot sign in; `enable` waits past this cut-off instead.
      await this.sessions.endAll(user);
    });
  }

  /** Enables the user; answers once a sign-in can no longer fall in the cut-off of their disabling. */
  async enable(username: string): Promise<void> {
    await this.aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const out = await this.cognito.send(
        new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: user.username }),
      );
      const cutoff = await this.sessions.revocation.cutOffOf(user.sub);
      if (cutoff !== null) await this.sessions.waitPastCutOff(idpMomentOf(out), cutoff);
    });
  }

  /** Sets the user's password (AdminSetUserPassword) and ends every session of theirs. */
  async setPassword(username: string, password: string, permanent: boolean): Promise<void> {
    if (!passwordMeetsPolicy(password)) throw badRequest(passwordPolicyMessage());
    await this.aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      await this.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: this.userPoolId,
          Username: user.username,
          Password: password,
          Permanent: permanent,
        }),
      );
      await this.sessions.waitPastCutOff(await this.sessions.endAll(user));
    });
  }

  /**
   * Resets the user's MFA (a lost phone): every factor off and no preference (AdminSetUserMFAPreference),
   * then every session ends, at the IdP and here (ADR 0070, 0119). With MFA required by the pool, the
   * next sign-in sets a factor up again (MFA_SETUP).
   */
  async resetMfa(username: string): Promise<void> {
    await this.aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const off = { Enabled: false, PreferredMfa: false };
      await this.cognito.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: this.userPoolId,
          Username: user.username,
          SoftwareTokenMfaSettings: off,
          EmailMfaSettings: off,
          SMSMfaSettings: off,
        }),
      );
      await this.sessions.waitPastCutOff(await this.sessions.endAll(user));
    });
  }

  /** Deletes the user and their data (ADR 0150); the tokens issued before are refused here at once. */
  async deleteUser(username: string, actorSub: string): Promise<void> {
    await this.aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      await this.deletion.delete(user, { actorSub, action: 'user.deleted' });
    });
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
    if (isCognitoError(err, 'InvalidPasswordException')) return badRequest(passwordPolicyMessage());
    if (isCognitoError(err, 'InvalidParameterException'))
      return badRequest('The user or group name is invalid.');
    return upstreamProblem(err);
  }
}
