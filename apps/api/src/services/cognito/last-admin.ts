import {
  type CognitoIdentityProviderClient,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { conflict, serviceUnavailable } from '../../errors.ts';
import type { KvStore } from '../../stores/types.ts';

/** The group the `/admin/*` routes require. */
export const ADMIN_GROUP = 'admin';

const LOCK_KEY = 'lock:admin-demotion';
/** Longer than any demotion takes; a crashed holder's lock frees itself after this. */
const LOCK_SECONDS = 30;

export const lastAdminMessage =
  'This is the last enabled admin: make another user admin before removing, disabling or deleting this one.';

/**
 * Refuses a change that would leave the pool with no enabled admin (ADR 0070). Changes that take an
 * admin away are serialised across API instances with a short lock in the store, so two admins
 * demoting each other at the same moment cannot both pass the check.
 */
export class LastAdminGuard {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly store: KvStore,
  ) {}

  /** Runs `change`, which takes `username` (the pool's username) out of the enabled admins. */
  async protect<T>(username: string, change: () => Promise<T>): Promise<T> {
    // Not an enabled admin: nothing to protect, no lock.
    if (!(await this.enabledAdmins()).has(username)) return change();
    const lock = await this.store.hit(LOCK_KEY, LOCK_SECONDS).catch(() => {
      throw serviceUnavailable('Admin changes are unavailable right now; retry shortly.', 2);
    });
    if (lock.count > 1)
      throw conflict('Another change to an admin account is in progress; retry in a moment.');
    try {
      const admins = await this.enabledAdmins();
      if (admins.has(username) && admins.size <= 1) throw conflict(lastAdminMessage);
      return await change();
    } finally {
      await this.store.del(LOCK_KEY).catch(() => {});
    }
  }

  private async enabledAdmins(): Promise<Set<string>> {
    const names = new Set<string>();
    let next: string | undefined;
    do {
      const out = await this.cognito.send(
        new ListUsersInGroupCommand({
          UserPoolId: this.userPoolId,
          GroupName: ADMIN_GROUP,
          Limit: 60,
          ...(next ? { NextToken: next } : {}),
        }),
      );
      for (const u of out.Users ?? []) if (u.Enabled !== false && u.Username) names.add(u.Username);
      next = out.NextToken;
    } while (next);
    return names;
  }
}
