import {
  AdminDeleteUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Db } from '../db/index.ts';
import type { AuditAction, AuditLog } from './audit.ts';
import { upstreamProblem } from './cognito/errors.ts';
import { idpMomentOf } from './cognito/idp-clock.ts';
import type { LastAdminGuard } from './cognito/last-admin.ts';
import type { Sessions } from './cognito/sessions.ts';
import type { ItemsStore } from './items/index.ts';

interface Log {
  error(obj: object, msg: string): void;
}

/** Who deletes: the account itself (its address is not kept) or an admin, and as which action. */
interface Deleter {
  actor: { sub: string; email: string | null };
  action: AuditAction;
}

/** The account to delete: the pool's username (for the IdP) and the sub (for tokens and rows). */
export interface DeletedAccount {
  username: string;
  sub: string;
}

/**
 * Deletes an account everywhere it lives (ADR 0150), for the user themselves (`DELETE /users/me`) and
 * for an admin (`DELETE /admin/users/:username`): the IdP first (AdminDeleteUser, guarded so the last
 * enabled admin stays, ADR 0071), then a cut-off at the second of its answer so every token already
 * issued is refused here at once, then the user's data — attachment files, items in whichever store
 * holds them, the profile row — and the audit list keeps the event by sub with the account's address cleared.
 */
export class AccountDeletion {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly sessions: Sessions,
    private readonly lastAdmin: LastAdminGuard,
    private readonly db: Db,
    private readonly items: ItemsStore,
    private readonly audit: AuditLog,
    private readonly log: Log,
    /** The user's attachment files in S3 (ADR 0170), when attachments are on. */
    private readonly files?: { removeAllOf(sub: string): Promise<number> },
  ) {}

  /** `DELETE /users/me`: the caller's own account, with the username and sub of their token. */
  async deleteSelf(caller: DeletedAccount): Promise<void> {
    try {
      await this.delete(caller, {
        actor: { sub: caller.sub, email: null },
        action: 'account.deleted_by_self',
      });
    } catch (err) {
      throw upstreamProblem(err);
    }
  }

  /** Cognito's errors are thrown as the SDK raised them (callers map them); data errors as they come. */
  async delete(account: DeletedAccount, by: Deleter): Promise<void> {
    const input = { UserPoolId: this.userPoolId, Username: account.username };
    const out = await this.lastAdmin.protect(account.username, () =>
      this.cognito.send(new AdminDeleteUserCommand(input)),
    );
    // Nothing can be minted for a deleted user after this answer, so its second is the cut-off.
    await this.sessions.cutOff(account.sub, idpMomentOf(out));
    try {
      await this.removeData(account.sub, by);
    } catch (err) {
      // The sign-in is gone and its tokens are refused; only rows remain, unreachable. Say which.
      this.log.error(
        { err: { name: (err as Error).name }, sub: account.sub },
        'account deleted at the identity provider, but its data could not be removed',
      );
      throw err;
    }
  }

  private async removeData(sub: string, by: Deleter): Promise<void> {
    // Files first: their records say where they are, and go with the items and the row below.
    await this.files?.removeAllOf(sub);
    const items = await this.items.deleteAllOf(sub);
    await this.db.transaction(async (tx) => {
      // Items in Postgres go with the row too (on delete cascade); DynamoDB's went above.
      await tx.query('delete from users where sub = $1', [sub]);
      await this.audit.forget(sub, tx);
      await this.audit.record(
        {
          actor: by.actor,
          action: by.action,
          target: { sub, email: null },
          detail: { items_removed: String(items) },
        },
        tx,
      );
    });
  }
}
