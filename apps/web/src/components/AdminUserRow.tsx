import type { AdminUser, Group } from '@app/api-contract';
import { useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { Alert } from './Alert.tsx';
import { Loading } from './Loading.tsx';
import { useAction } from './use-action.ts';

/** One user in the admin list, with enable/disable and group membership. */
export function AdminUserRow({
  user,
  groups,
  isSelf,
  onChange,
}: {
  user: AdminUser;
  groups: Group[];
  /** The signed-in admin's own row: no disabling yourself out of the console. */
  isSelf: boolean;
  onChange(user: AdminUser): void;
}) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [memberOf, setMemberOf] = useState<Set<string> | null>(null);
  const [confirmingDisable, setConfirmingDisable] = useState(false);
  const action = useAction();
  const panelId = `groups-${user.username}`;
  const label = user.email ?? user.username;

  async function toggleOpen() {
    const next = !open;
    setOpen(next);
    if (next && !memberOf) {
      await action.run(async () => {
        const list = await api.userGroups(user.username);
        setMemberOf(new Set(list.groups.map((g) => g.group_name)));
      });
    }
  }

  async function toggleGroup(groupName: string, member: boolean) {
    await action.run(async () => {
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

  async function toggleEnabled() {
    await action.run(async () => {
      await api.setEnabled(user.username, !user.enabled);
      onChange({ ...user, enabled: !user.enabled });
    });
    setConfirmingDisable(false);
  }

  return (
    <li className="admin-user">
      <div className="admin-user-summary">
        <div>
          <strong>{label}</strong>
          {user.name ? <span> · {user.name}</span> : null}
          <div className="meta">
            <span className={`badge ${statusTone(user.status)}`}>{user.status}</span>{' '}
            <span className={`badge ${user.enabled ? 'ok' : 'danger'}`}>
              {user.enabled ? 'enabled' : 'disabled'}
            </span>
          </div>
        </div>
        <div className="row-actions">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => void toggleOpen()}
          >
            Groups
          </button>
          {user.enabled ? (
            <button
              type="button"
              disabled={action.busy || isSelf || confirmingDisable}
              onClick={() => setConfirmingDisable(true)}
            >
              Disable <span className="visually-hidden">{label}</span>
            </button>
          ) : (
            <button type="button" disabled={action.busy} onClick={() => void toggleEnabled()}>
              Enable <span className="visually-hidden">{label}</span>
            </button>
          )}
        </div>
      </div>
      {confirmingDisable ? (
        <fieldset className="confirm-box">
          <legend className="visually-hidden">Disable {label}?</legend>
          <p>
            Disable <strong>{label}</strong>? They can no longer sign in, and their sessions stop working.
          </p>
          <div className="row-actions">
            <button
              type="button"
              className="danger"
              disabled={action.busy}
              onClick={() => void toggleEnabled()}
            >
              {action.busy ? 'Disabling…' : 'Yes, disable'}
            </button>
            <button type="button" onClick={() => setConfirmingDisable(false)}>
              Cancel
            </button>
          </div>
        </fieldset>
      ) : null}
      {action.error ? <Alert kind="error">{action.error}</Alert> : null}
      {open ? (
        <fieldset id={panelId} className="group-panel">
          <legend>Groups of {label}</legend>
          {!memberOf ? <Loading label="Loading groups…" /> : null}
          {memberOf
            ? groups.map((g) => {
                const member = memberOf.has(g.group_name);
                return (
                  <label key={g.group_name} className="checkbox">
                    <input
                      type="checkbox"
                      checked={member}
                      disabled={action.busy}
                      onChange={() => void toggleGroup(g.group_name, member)}
                    />
                    {g.group_name}
                    {g.description ? <span className="meta"> — {g.description}</span> : null}
                  </label>
                );
              })
            : null}
        </fieldset>
      ) : null}
    </li>
  );
}

/** Cognito's account statuses as distinct badges: only CONFIRMED is the "all well" green. */
function statusTone(status: string): string {
  if (status === 'CONFIRMED' || status === 'EXTERNAL_PROVIDER') return 'ok';
  if (status === 'UNCONFIRMED' || status === 'FORCE_CHANGE_PASSWORD' || status === 'RESET_REQUIRED')
    return 'warn';
  return 'neutral';
}
