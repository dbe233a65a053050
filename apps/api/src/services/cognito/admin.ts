import type { AdminCreateUserBody, AdminUser } from '@app/api-contract';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { badRequest, conflict } from '../../errors.ts';
import type { AccountDeletion } from '../account-deletion.ts';
import type { AuditAction, AuditLog } from '../audit.ts';
import { passwordMeetsPolicy, passwordPolicyMessage } from '../password-policy.ts';
import { aboutUser, toAdminUser } from './admin-directory.ts';
import { isCognitoError, upstreamProblem } from './errors.ts';
import { idpMomentOf } from './idp-clock.ts';
import { ADMIN_GROUP, type LastAdminGuard } from './last-admin.ts';
import type { Sessions } from './sessions.ts';

/** The admin making the change, as their token names them. */
export interface Actor {
  sub: string;
  username: string;
}

/**
 * User-pool changes for the admin group; the API's own IAM role makes these calls. Every change that
 * succeeds is written to the audit list (ADR 0152); every one that takes rights away ends the user's
 * sessions at the IdP and here (ADR 0070).
 */
export class AdminService {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly sessions: Sessions,
    private readonly lastAdmin: LastAdminGuard,
    private readonly deletion: AccountDeletion,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Invites a user (AdminCreateUser): the address is the username and counts as verified (the invitation
   * proves it reaches them); Cognito mails a temporary password, to be replaced at the first sign-in.
   */
  async createUser(body: AdminCreateUserBody, actor: Actor): Promise<AdminUser> {
    const out = await this.cognito
      .send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: body.email,
          UserAttributes: [
            { Name: 'email', Value: body.email },
            { Name: 'email_verified', Value: 'true' },
            ...(body.name ? [{ Name: 'name', Value: body.name }] : []),
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      )
      .catch((err: unknown) => {
        if (isCognitoError(err, 'UsernameExistsException', 'AliasExistsException'))
          throw conflict('A user with this e-mail address exists already.');
        if (isCognitoError(err, 'InvalidParameterException'))
          throw badRequest('The identity provider refused the address or name.');
        throw upstreamProblem(err);
      });
    const user = toAdminUser(out.User ?? {});
    await this.record(actor, 'user.created', user);
    return user;
  }

  async addToGroup(username: string, groupName: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const input = { UserPoolId: this.userPoolId, Username: user.username, GroupName: groupName };
      await this.cognito.send(new AdminAddUserToGroupCommand(input));
      await this.record(actor, 'user.group_added', user, { group: groupName });
    });
  }

  /**
   * Removes the user from a group and ends every session of theirs (ADR 0070): tokens carry the
   * groups they were minted with, so the old ones must not keep the group's rights until they expire.
   */
  async removeFromGroup(username: string, groupName: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const input = { UserPoolId: this.userPoolId, Username: user.username, GroupName: groupName };
      const remove = () => this.cognito.send(new AdminRemoveUserFromGroupCommand(input));
      if (groupName === ADMIN_GROUP && user.enabled) await this.lastAdmin.protect(user.username, remove);
      else await remove();
      // The user may sign in again at once (with the groups they have now): wait past the cut-off.
      await this.sessions.waitPastCutOff(await this.sessions.endAll(user));
      await this.record(actor, 'user.group_removed', user, { group: groupName });
    });
  }

  /** Disables the user, signs them out at the IdP and refuses their issued tokens here at once. */
  async disable(username: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const input = { UserPoolId: this.userPoolId, Username: user.username };
      await this.lastAdmin.protect(user.username, () =>
        this.cognito.send(new AdminDisableUserCommand(input)),
      );
      // No wait: a disabled user cannot sign in; `enable` waits past this cut-off instead.
      await this.sessions.endAll(user);
      await this.record(actor, 'user.disabled', user);
    });
  }

  /** Enables the user; answers once a sign-in can no longer fall in the cut-off of their disabling. */
  async enable(username: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      const out = await this.cognito.send(
        new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: user.username }),
      );
      const cutoff = await this.sessions.revocation.cutOffOf(user.sub);
      if (cutoff !== null) await this.sessions.waitPastCutOff(idpMomentOf(out), cutoff);
      await this.record(actor, 'user.enabled', user);
    });
  }

  /** Sets the user's password (AdminSetUserPassword) and ends every session of theirs. */
  async setPassword(username: string, password: string, permanent: boolean, actor: Actor): Promise<void> {
    if (!passwordMeetsPolicy(password)) throw badRequest(passwordPolicyMessage());
    await aboutUser(async () => {
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
      await this.record(actor, 'user.password_set', user, { permanent: String(permanent) });
    });
  }

  /**
   * "Reset password" (AdminResetUserPassword): the password stops working, Cognito mails a code to the
   * verified address for the user to choose a new one ("Forgot password"), and every session ends.
   */
  async resetPassword(username: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      try {
        await this.cognito.send(
          new AdminResetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: user.username }),
        );
      } catch (err) {
        if (isCognitoError(err, 'InvalidParameterException'))
          throw badRequest(
            'The user has no verified e-mail address to mail a code to; set a password instead.',
          );
        throw err;
      }
      await this.sessions.waitPastCutOff(await this.sessions.endAll(user));
      await this.record(actor, 'user.password_reset', user);
    });
  }

  /** Signs the user out everywhere: AdminUserGlobalSignOut and the cut-off here (ADR 0070). */
  async signOut(username: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      await this.sessions.waitPastCutOff(await this.sessions.endAll(user));
      await this.record(actor, 'user.signed_out', user);
    });
  }

  /**
   * Resets the user's MFA (a lost phone): every factor off and no preference (AdminSetUserMFAPreference),
   * then every session ends, at the IdP and here (ADR 0070, 0119). With MFA required by the pool, the
   * next sign-in sets a factor up again (MFA_SETUP).
   */
  async resetMfa(username: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
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
      await this.record(actor, 'user.mfa_reset', user);
    });
  }

  /** Deletes the user and their data (ADR 0150); the tokens issued before are refused here at once. */
  async deleteUser(username: string, actor: Actor): Promise<void> {
    await aboutUser(async () => {
      const user = await this.sessions.lookup(username);
      await this.deletion.delete(user, { actor: await this.actorOf(actor), action: 'user.deleted' });
    });
  }

  private async record(
    actor: Actor,
    action: AuditAction,
    target: { sub: string; email: string | null },
    detail?: Record<string, string>,
  ): Promise<void> {
    await this.audit.record({ actor: await this.actorOf(actor), action, target, detail });
  }

  /** The acting admin's address for the audit list: access tokens carry none, so ask the pool. */
  private async actorOf(actor: Actor): Promise<{ sub: string; email: string | null }> {
    const who = await this.sessions.lookup(actor.username).catch(() => null);
    return { sub: actor.sub, email: who?.email ?? null };
  }
}
