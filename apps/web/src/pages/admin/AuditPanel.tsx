import type { AuditEvent } from '@app/api-contract';
import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { Alert } from '../../components/Alert.tsx';
import { Loading } from '../../components/Loading.tsx';
import { ACTIONS, formatDateTime } from './labels.ts';

const PAGE = 25;

/** Who did what to whom, and when: the audit list from the API's database (ADR 0152), newest first. */
export function AuditPanel() {
  const api = useApi();
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [before, setBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let live = true;
    api.auditEvents({ limit: PAGE }).then(
      (page) => {
        if (!live) return;
        setEvents(page.events);
        setBefore(page.next_before);
      },
      (err: unknown) =>
        live && setError(err instanceof Error ? err.message : 'Could not load the audit list.'),
    );
    return () => {
      live = false;
    };
  }, [api]);

  async function loadMore() {
    setLoadingMore(true);
    try {
      const page = await api.auditEvents({ limit: PAGE, before });
      setEvents((e) => [...(e ?? []), ...page.events]);
      setBefore(page.next_before);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not load the audit list.');
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section className="card" aria-labelledby="audit">
      <h2 id="audit">Audit log</h2>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {!events && !error ? <Loading label="Loading the audit log…" /> : null}
      {events && events.length === 0 ? <p className="empty">No admin actions yet.</p> : null}
      {events && events.length > 0 ? (
        <table className="admin-table audit-table">
          <caption className="visually-hidden">Admin actions, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Did</th>
              <th scope="col">To</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td data-label="When">
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                </td>
                <td data-label="Who" className="cell-text">
                  {e.actor_email ?? <span className="meta">a deleted account</span>}
                </td>
                <td data-label="Did">
                  {ACTIONS[e.action] ?? e.action}
                  {e.detail.group ? ` (${e.detail.group})` : ''}
                </td>
                <td data-label="To" className="cell-text">
                  {e.target_email ?? <span className="meta">{e.target_sub ? 'a deleted account' : '—'}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {before ? (
        <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load older actions'}
        </button>
      ) : null}
    </section>
  );
}
