import type { AdminUser, Group } from '@app/api-contract';
import { useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { useToast } from '../../design/toast-context.ts';
import { ConfirmAction } from './ConfirmAction.tsx';
import { GroupsDialog } from './GroupsDialog.tsx';

type Open = 'groups' | 'reset' | 'sign-out' | 'disable' | 'delete' | null;

/**
 * The row menu of one user: a disclosure button with the actions, each destructive one behind a
 * confirmation dialog. The signed-in admin's own row offers no disable or delete (the API would
 * refuse the last admin anyway, ADR 0071).
 */
export function UserActions({
  user,
  groups,
  isSelf,
  onChange,
  onDeleted,
}: {
  user: AdminUser;
  groups: Group[];
  isSelf: boolean;
  onChange(user: AdminUser): void;
  onDeleted(username: string): void;
}) {
  const api = useApi();
  const toast = useToast();
  const [menu, setMenu] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const [enabling, setEnabling] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const label = user.email ?? user.username;

  useEffect(() => {
    if (!menu) return;
    const close = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setMenu(false);
      button.current?.focus();
    };
    document.addEventListener('keydown', close);
    return () => document.removeEventListener('keydown', close);
  }, [menu]);

  const choose = (what: Open) => {
    setMenu(false);
    setOpen(what);
  };
  const done = (message: string) => {
    setOpen(null);
    toast.show(message);
    button.current?.focus();
  };
  const cancel = () => {
    setOpen(null);
    button.current?.focus();
  };

  async function enable() {
    setMenu(false);
    setEnabling(true);
    try {
      await api.adminAction(user.username, 'enable');
      onChange({ ...user, enabled: true });
      toast.show(`${label} is enabled.`);
    } catch (err) {
      toast.show(err instanceof Error ? err.message : 'Could not enable the user.', 'error');
    } finally {
      setEnabling(false);
      button.current?.focus();
    }
  }

  return (
    <div className="row-menu">
      <button
        ref={button}
        type="button"
        aria-expanded={menu}
        aria-controls={menuId}
        disabled={enabling}
        onClick={() => setMenu((m) => !m)}
      >
        Actions <span className="visually-hidden">for {label}</span>
      </button>
      {menu ? (
        <ul id={menuId} className="row-menu-list">
          <li>
            <button type="button" onClick={() => choose('groups')}>
              Groups…
            </button>
          </li>
          <li>
            <button type="button" onClick={() => choose('reset')}>
              Reset password…
            </button>
          </li>
          <li>
            <button type="button" onClick={() => choose('sign-out')}>
              Sign out everywhere…
            </button>
          </li>
          {user.enabled ? (
            isSelf ? null : (
              <li>
                <button type="button" onClick={() => choose('disable')}>
                  Disable…
                </button>
              </li>
            )
          ) : (
            <li>
              <button type="button" onClick={() => void enable()}>
                Enable
              </button>
            </li>
          )}
          {isSelf ? (
            <li className="meta">You cannot disable or delete your own account here.</li>
          ) : (
            <li>
              <button type="button" className="danger" onClick={() => choose('delete')}>
                Delete…
              </button>
            </li>
          )}
        </ul>
      ) : null}

      {open === 'groups' ? <GroupsDialog user={user} groups={groups} onClose={cancel} /> : null}
      {open === 'reset' ? (
        <ConfirmAction
          title={`Reset the password of ${label}?`}
          confirmLabel="Reset password"
          busyLabel="Resetting…"
          action={() => api.adminAction(user.username, 'password/reset')}
          onDone={() => done(`A code to choose a new password is on its way to ${label}.`)}
          onCancel={cancel}
        >
          <p>
            Their password stops working and every session of theirs ends. They get a code by e-mail to choose
            a new one.
          </p>
        </ConfirmAction>
      ) : null}
      {open === 'sign-out' ? (
        <ConfirmAction
          title={`Sign ${label} out everywhere?`}
          confirmLabel="Sign out everywhere"
          busyLabel="Signing out…"
          action={() => api.adminAction(user.username, 'sign-out')}
          onDone={() => done(`${label} is signed out everywhere.`)}
          onCancel={cancel}
        >
          <p>Every device of theirs is signed out at once. They can sign in again with their password.</p>
        </ConfirmAction>
      ) : null}
      {open === 'disable' ? (
        <ConfirmAction
          title={`Disable ${label}?`}
          confirmLabel="Yes, disable"
          busyLabel="Disabling…"
          danger
          action={async () => {
            await api.adminAction(user.username, 'disable');
            onChange({ ...user, enabled: false });
          }}
          onDone={() => done(`${label} is disabled.`)}
          onCancel={cancel}
        >
          <p>
            They can no longer sign in, and their sessions stop working at once. You can enable them again.
          </p>
        </ConfirmAction>
      ) : null}
      {open === 'delete' ? (
        <ConfirmAction
          title={`Delete ${label}?`}
          confirmLabel="Yes, delete"
          busyLabel="Deleting…"
          danger
          action={() => api.deleteUser(user.username)}
          onDone={() => {
            setOpen(null);
            toast.show(`${label} is deleted.`);
            onDeleted(user.username);
          }}
          onCancel={cancel}
        >
          <p>Their account, sessions and data are removed for good. This cannot be undone.</p>
        </ConfirmAction>
      ) : null}
    </div>
  );
}
