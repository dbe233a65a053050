import type { AdminUser, Group } from '@app/api-contract';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { ApiError } from '../api/problem.ts';
import { useAuth } from '../auth/auth-context.ts';
import { AdminUserRow } from '../components/AdminUserRow.tsx';
import { Alert } from '../components/Alert.tsx';
import { Field } from '../components/Field.tsx';
import { Form } from '../components/Form.tsx';
import { Loading } from '../components/Loading.tsx';
import { PageTitle } from '../components/PageTitle.tsx';

const NOT_ALLOWED = 'You are not allowed to see this page. It is for members of the admin group.';

/** Users and groups, for the 'admin' group. The API enforces it; the page only explains. */
export default function AdminPage() {
  const { session } = useAuth();
  const isAdmin = session?.user.groups.includes('admin') ?? false;
  return (
    <div className="stack">
      <PageTitle>Administration</PageTitle>
      {isAdmin ? <AdminConsole /> : <NotAllowed />}
    </div>
  );
}

function NotAllowed() {
  return (
    <section className="card not-allowed" aria-labelledby="not-allowed">
      <h2 id="not-allowed">Not allowed</h2>
      <p>{NOT_ALLOWED}</p>
    </section>
  );
}

function AdminConsole() {
  const api = useApi();
  const { session } = useAuth();
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [groups, setGroups] = useState<Group[]>([]);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);

  const fail = useCallback((err: unknown) => {
    if (err instanceof ApiError && err.status === 403) setForbidden(true);
    else setError(err instanceof Error ? err.message : 'Could not load users.');
  }, []);

  useEffect(() => {
    let live = true;
    setUsers(null);
    setError(null);
    Promise.all([api.adminUsers({ limit: 20, email: applied || undefined }), api.adminGroups()]).then(
      ([page, g]) => {
        if (!live) return;
        setUsers(page.users);
        setNextToken(page.next_token);
        setGroups(g.groups);
      },
      (err: unknown) => live && fail(err),
    );
    return () => {
      live = false;
    };
  }, [api, applied, fail]);

  async function loadMore() {
    if (!nextToken) return;
    setLoadingMore(true);
    try {
      const page = await api.adminUsers({ limit: 20, next_token: nextToken, email: applied || undefined });
      setUsers((u) => [...(u ?? []), ...page.users]);
      setNextToken(page.next_token);
    } catch (err) {
      fail(err);
    } finally {
      setLoadingMore(false);
    }
  }

  function onSearch(e: FormEvent) {
    e.preventDefault();
    setApplied(filter.trim());
  }

  if (forbidden) return <NotAllowed />;

  return (
    <>
      <section className="card" aria-labelledby="users">
        <h2 id="users">Users</h2>
        <search>
          <Form onSubmit={onSearch} className="inline-form search-form">
            <Field
              label="E-mail starts with"
              type="search"
              name="email"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
            <button type="submit">Search</button>
          </Form>
        </search>
        {error ? <Alert kind="error">{error}</Alert> : null}
        {!users && !error ? <Loading label="Loading users…" /> : null}
        {users && users.length === 0 ? <p className="empty">No users match.</p> : null}
        {users && users.length > 0 ? (
          <ul className="admin-users">
            {users.map((u) => (
              <AdminUserRow
                key={u.username}
                user={u}
                groups={groups}
                isSelf={u.sub === session?.user.sub}
                onChange={(changed) =>
                  setUsers(
                    (list) => list?.map((x) => (x.username === changed.username ? changed : x)) ?? null,
                  )
                }
              />
            ))}
          </ul>
        ) : null}
        {nextToken ? (
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more users'}
          </button>
        ) : null}
      </section>
      <section className="card" aria-labelledby="groups">
        <h2 id="groups">Groups</h2>
        {groups.length ? (
          <ul className="group-list">
            {groups.map((g) => (
              <li key={g.group_name}>
                <strong>{g.group_name}</strong>
                {g.description ? ` — ${g.description}` : ''}
              </li>
            ))}
          </ul>
        ) : users ? (
          <p className="empty">No groups.</p>
        ) : null}
      </section>
    </>
  );
}
