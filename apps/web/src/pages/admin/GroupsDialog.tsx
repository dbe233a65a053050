import type { AdminUser, Group } from '@app/api-contract';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useAction } from '../../components/use-action.ts';
import { AdminDialog } from './AdminDialog.tsx';

/**
 * A user's groups as checkboxes. Leaving a group ends the user's sessions (ADR 0070); the last enabled
 * admin cannot leave `admin` — the API's 409 shows here as an alert (ADR 0071).
 */
export function GroupsDialog({
  user,
  groups,
  onClose,
}: {
  user: AdminUser;
  groups: Group[];
  onClose(): void;
}) {
  const api = useApi();
  const [memberOf, setMemberOf] = useState<Set<string> | null>(null);
  const action = useAction();
  const label = user.email ?? user.username;
  const { run } = action;

  useEffect(() => {
    void run(async () => {
      const list = await api.userGroups(user.username);
      setMemberOf(new Set(list.groups.map((g) => g.group_name)));
    });
  }, [api, run, user.username]);

  async function toggle(groupName: string, member: boolean) {
    await run(async () => {
      if (member) await api.removeFromGroup(user.username, groupName);
      else await api.addToGroup(user.username, groupName);
      setMemberOf((s) => {
        const copy = new Set(s);
        if (member) copy.delete(groupName);
        else copy.add(groupName);
        return copy;
      });
    });
  }

  return (
    <AdminDialog title={`Groups of ${label}`} onClose={onClose}>
      <p className="meta">
        Leaving a group signs the user out everywhere; joining takes effect at their next sign-in.
      </p>
      {action.error ? <Alert kind="error">{action.error}</Alert> : null}
      {!memberOf && !action.error ? <Loading label="Loading groups…" /> : null}
      {memberOf ? (
        <fieldset className="group-panel">
          <legend className="visually-hidden">Groups</legend>
          {groups.map((g) => {
            const member = memberOf.has(g.group_name);
            return (
              <label key={g.group_name} className="checkbox">
                <input
                  type="checkbox"
                  checked={member}
                  disabled={action.busy}
                  onChange={() => void toggle(g.group_name, member)}
                />
                {g.group_name}
                {g.description ? <span className="meta"> — {g.description}</span> : null}
              </label>
            );
          })}
        </fieldset>
      ) : null}
      <div className="row-actions dialog-actions">
        <button type="button" onClick={onClose}>
          Done
        </button>
      </div>
    </AdminDialog>
  );
}
