import type { Group } from '@app/api-contract';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { ApiError } from '../api/problem.ts';
import { useAuth } from '../auth/auth-context.ts';
import { PageTitle } from '../components/PageTitle.tsx';
import { AuditPanel } from './admin/AuditPanel.tsx';
import { UsersPanel } from './admin/UsersPanel.tsx';
import './admin/admin.css';

const NOT_ALLOWED = 'You are not allowed to see this page. It is for members of the admin group.';

/** Users, groups and the audit log, for the 'admin' group. The API enforces it; the page only explains. */
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
  const [params] = useSearchParams();
  const view = params.get('view') === 'audit' ? 'audit' : 'users';
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const onForbidden = useCallback(() => setForbidden(true), []);

  useEffect(() => {
    let live = true;
    api.adminGroups().then(
      (g) => live && setGroups(g.groups),
      (err: unknown) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 403) setForbidden(true);
        else setGroups([]);
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (forbidden) return <NotAllowed />;
  return (
    <>
      <nav aria-label="Administration" className="sub-nav">
        <Link to="/admin" aria-current={view === 'users' ? 'page' : undefined}>
          Users
        </Link>
        <Link to="/admin?view=audit" aria-current={view === 'audit' ? 'page' : undefined}>
          Audit log
        </Link>
      </nav>
      {view === 'audit' ? (
        <AuditPanel />
      ) : (
        <>
          <UsersPanel groups={groups ?? []} onForbidden={onForbidden} />
          <section className="card" aria-labelledby="groups">
            <h2 id="groups">Groups</h2>
            {groups?.length ? (
              <ul className="group-list">
                {groups.map((g) => (
                  <li key={g.group_name}>
                    <strong>{g.group_name}</strong>
                    {g.description ? ` — ${g.description}` : ''}
                  </li>
                ))}
              </ul>
            ) : groups ? (
              <p className="empty">No groups.</p>
            ) : null}
          </section>
        </>
      )}
    </>
  );
}
