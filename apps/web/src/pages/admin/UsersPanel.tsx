import type { AdminUser, Group } from '@app/api-contract';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { ApiError } from '../../api/problem.ts';
import { useAuth } from '../../auth/auth-context.ts';
import { Alert } from '../../components/Alert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useToast } from '../../design/toast-context.ts';
import { InviteDialog } from './InviteDialog.tsx';
import { STATUS } from './labels.ts';
import { UsersTable } from './UsersTable.tsx';

const PAGE = 20;
type SearchBy = 'email' | 'name' | 'status';
interface Search {
  by: SearchBy;
  text: string;
}

/**
 * The users table with its search (one filter, as Cognito's ListUsers takes), the count, "Load more
 * users" (Cognito's pagination token) and "Invite user" (ADR 0151). `onForbidden` when the API says 403.
 */
export function UsersPanel({ groups, onForbidden }: { groups: Group[]; onForbidden(): void }) {
  const api = useApi();
  const { session } = useAuth();
  const toast = useToast();
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [draft, setDraft] = useState<Search>({ by: 'email', text: '' });
  const [applied, setApplied] = useState<Search>({ by: 'email', text: '' });
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [inviting, setInviting] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // After "Load more users" the button goes (last page) or is disabled while loading, and focus would
  // drop to the page: it goes to the first user the page brought (or the heading if it brought none).
  const section = useRef<HTMLElement>(null);
  const [focusUser, setFocusUser] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (focusUser === undefined) return;
    const cells = section.current?.querySelectorAll<HTMLElement>('td[data-username]') ?? [];
    const first = [...cells].find((c) => c.dataset.username === focusUser);
    (first ?? heading.current)?.focus();
    setFocusUser(undefined);
  }, [focusUser]);

  const fail = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 403) onForbidden();
      else setError(err instanceof Error ? err.message : 'Could not load users.');
    },
    [onForbidden],
  );
  const query = useCallback(
    (next_token?: string) => ({
      limit: PAGE,
      ...(applied.text ? { [applied.by]: applied.text } : {}),
      ...(next_token ? { next_token } : {}),
    }),
    [applied],
  );

  useEffect(() => {
    let live = true;
    setUsers(null);
    setError(null);
    api.adminUsers(query()).then(
      (page) => {
        if (!live) return;
        setUsers(page.users);
        setNextToken(page.next_token);
        setTotal(page.estimated_total);
      },
      (err: unknown) => live && fail(err),
    );
    return () => {
      live = false;
    };
  }, [api, query, fail]);

  async function loadMore() {
    if (!nextToken) return;
    setLoadingMore(true);
    try {
      const page = await api.adminUsers(query(nextToken));
      setUsers((u) => [...(u ?? []), ...page.users]);
      setNextToken(page.next_token);
      setFocusUser(page.users[0]?.username ?? null);
    } catch (err) {
      fail(err);
    } finally {
      setLoadingMore(false);
    }
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    setApplied({ by: draft.by, text: draft.text.trim() });
  }

  const replace = (changed: AdminUser) =>
    setUsers((list) => list?.map((x) => (x.username === changed.username ? changed : x)) ?? null);
  // The deleted row and its menu are gone: focus goes back to the table's heading, not the page body.
  // In an effect, because the row's confirmation <dialog> closes in its own unmount clean-up and
  // hands focus back to its (removed) opener; React runs those clean-ups before this effect.
  const [deletedCount, setDeletedCount] = useState(0);
  useEffect(() => {
    if (deletedCount > 0) heading.current?.focus();
  }, [deletedCount]);
  const remove = (username: string) => {
    setUsers((list) => list?.filter((x) => x.username !== username) ?? null);
    setTotal((t) => (t === null ? t : Math.max(0, t - 1)));
    setDeletedCount((n) => n + 1);
  };

  return (
    <section className="card" aria-labelledby="users" ref={section}>
      <div className="section-head">
        <h2 id="users" ref={heading} tabIndex={-1}>
          Users
        </h2>
        <button type="button" className="primary" onClick={() => setInviting(true)}>
          Invite user
        </button>
      </div>
      <search>
        <form onSubmit={onSearch} className="admin-search" noValidate>
          <div className="field">
            <label htmlFor="search-by">Search by</label>
            <select
              id="search-by"
              value={draft.by}
              onChange={(e) => setDraft({ by: e.target.value as SearchBy, text: '' })}
            >
              <option value="email">E-mail starts with</option>
              <option value="name">Name starts with</option>
              <option value="status">Status is</option>
            </select>
          </div>
          <div className="field">
            {draft.by === 'status' ? (
              <>
                <label htmlFor="search-text">Status</label>
                <select
                  id="search-text"
                  value={draft.text}
                  onChange={(e) => setDraft({ ...draft, text: e.target.value })}
                >
                  <option value="">Any</option>
                  {Object.entries(STATUS).map(([value, { label }]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </>
            ) : (
              <>
                <label htmlFor="search-text">
                  {draft.by === 'email' ? 'E-mail starts with' : 'Name starts with'}
                </label>
                <input
                  id="search-text"
                  type="search"
                  value={draft.text}
                  onChange={(e) => setDraft({ ...draft, text: e.target.value })}
                />
              </>
            )}
          </div>
          <button type="submit">Search</button>
        </form>
      </search>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {users ? (
        <p className="meta" aria-live="polite">
          {`${users.length} shown`}
          {total !== null && !applied.text ? ` of about ${total} users in the pool` : ''}
          {nextToken ? ' — more to load' : ''}
        </p>
      ) : null}
      {!users && !error ? <Loading label="Loading users…" /> : null}
      {users && users.length === 0 ? <p className="empty">No users match.</p> : null}
      {users && users.length > 0 ? (
        <UsersTable
          users={users}
          groups={groups}
          selfSub={session?.user.sub}
          complete={!nextToken}
          onChange={replace}
          onDeleted={remove}
        />
      ) : null}
      {nextToken ? (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more users'}
        </button>
      ) : null}
      {inviting ? (
        <InviteDialog
          onClose={() => setInviting(false)}
          onInvited={(user) => {
            setInviting(false);
            setUsers((list) => [user, ...(list ?? [])]);
            setTotal((t) => (t === null ? t : t + 1));
            toast.show(`Invitation sent to ${user.email ?? user.username}.`);
          }}
        />
      ) : null}
    </section>
  );
}
