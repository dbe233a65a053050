import type { AdminUser, Group } from '@app/api-contract';
import { useMemo, useState } from 'react';
import { formatDate, formatDateTime, statusOf } from './labels.ts';
import { UserActions } from './UserActions.tsx';

type SortKey = 'email' | 'status' | 'created_at' | 'last_seen_at';
const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'email', label: 'User' },
  { key: 'status', label: 'Status' },
  { key: 'created_at', label: 'Created' },
  { key: 'last_seen_at', label: 'Last seen' },
];

/** Sorts the loaded rows only: Cognito's ListUsers has no order (ADR 0151). Nulls last. */
function sortUsers(users: AdminUser[], key: SortKey | null, ascending: boolean): AdminUser[] {
  if (!key) return users;
  const value = (u: AdminUser) => (key === 'email' ? (u.email ?? u.username).toLowerCase() : u[key]);
  return [...users].sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * (ascending ? 1 : -1);
  });
}

/**
 * The users table: column headers sort what is loaded (and the caption says so while pages remain),
 * status badges in distinct tones, created and last-seen dates, and each row's action menu.
 */
export function UsersTable({
  users,
  groups,
  selfSub,
  complete,
  onChange,
  onDeleted,
}: {
  users: AdminUser[];
  groups: Group[];
  selfSub: string | undefined;
  /** Every page is loaded: a sort is the whole list's. */
  complete: boolean;
  onChange(user: AdminUser): void;
  onDeleted(username: string): void;
}) {
  const [sort, setSort] = useState<{ key: SortKey | null; ascending: boolean }>({
    key: null,
    ascending: true,
  });
  const rows = useMemo(() => sortUsers(users, sort.key, sort.ascending), [users, sort]);
  const sortedBy = COLUMNS.find((c) => c.key === sort.key);

  return (
    <table className="admin-table">
      <caption className="meta">
        {sortedBy
          ? `Sorted by ${sortedBy.label.toLowerCase()}, ${sort.ascending ? 'ascending' : 'descending'}${
              complete ? '' : `, among the ${users.length} loaded`
            }.`
          : 'In the user pool’s order; choose a column to sort the loaded users.'}
      </caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              scope="col"
              aria-sort={sort.key === c.key ? (sort.ascending ? 'ascending' : 'descending') : undefined}
            >
              <button
                type="button"
                className="sort-button"
                onClick={() =>
                  setSort((s) => ({ key: c.key, ascending: s.key === c.key ? !s.ascending : true }))
                }
              >
                {c.label}
                {/* Every sortable header shows it can sort (↕), the sorted one which way. */}
                <span aria-hidden="true" className={sort.key === c.key ? 'sort-mark' : 'sort-mark idle'}>
                  {sort.key === c.key ? (sort.ascending ? ' ▲' : ' ▼') : ' ↕'}
                </span>
              </button>
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((u) => {
          const status = statusOf(u.status);
          return (
            <tr key={u.username} className="admin-user">
              {/* Focusable from script: "Load more users" moves focus to the first user it brought. */}
              <td data-label="User" data-username={u.username} tabIndex={-1}>
                <strong className="cell-text">{u.email ?? u.username}</strong>
                {u.name ? <div className="meta cell-text">{u.name}</div> : null}
              </td>
              <td data-label="Status">
                <span className={`badge ${status.tone}`}>{status.label}</span>{' '}
                {u.enabled ? null : <span className="badge danger">Disabled</span>}
              </td>
              <td data-label="Created">
                <time dateTime={u.created_at}>{formatDate(u.created_at)}</time>
              </td>
              <td data-label="Last seen">
                {u.last_seen_at ? (
                  <time dateTime={u.last_seen_at}>{formatDateTime(u.last_seen_at)}</time>
                ) : (
                  <span className="meta">Never</span>
                )}
              </td>
              <td>
                <UserActions
                  user={u}
                  groups={groups}
                  isSelf={u.sub === selfSub}
                  onChange={onChange}
                  onDeleted={onDeleted}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
