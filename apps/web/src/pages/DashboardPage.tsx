import type { ItemPage, UpdateItem } from '@app/api-contract';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { useAuth } from '../auth/auth-context.ts';
import { Alert } from '../components/Alert.tsx';
import { Attachments } from '../components/Attachments.tsx';
import { Field } from '../components/Field.tsx';
import { Form } from '../components/Form.tsx';
import { ItemRow } from '../components/ItemRow.tsx';
import { Loading } from '../components/Loading.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { SubmitButton } from '../components/SubmitButton.tsx';
import { useAction } from '../components/use-action.ts';

export const PAGE_SIZE = 10;

/** The user's items: create, edit in place, delete, and page through them (page in the URL). */
export default function DashboardPage() {
  const api = useApi();
  const { session } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const offset = (page - 1) * PAGE_SIZE;
  const [data, setData] = useState<ItemPage | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction();
  // Where focus goes once the list has changed under it (a deleted row, another page): the list's
  // heading, so keyboard and screen-reader users stay in the list instead of dropping to <body>.
  const listHeading = useRef<HTMLHeadingElement>(null);
  const focusListOnLoad = useRef(false);

  const load = useCallback(async () => {
    try {
      const result = await api.listItems(PAGE_SIZE, offset);
      // Deleting the last item of a page leaves it empty: step back a page.
      if (result.items.length === 0 && result.total > 0 && offset > 0) {
        setParams({ page: String(Math.ceil(result.total / PAGE_SIZE)) });
        return;
      }
      setData(result);
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : 'Could not load your items.');
    }
  }, [api, offset, setParams]);

  useEffect(() => {
    void load();
  }, [load]);

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const titleInput = e.currentTarget.elements.namedItem('title') as HTMLInputElement | null;
    if (!title.trim()) return create.setError('Give the item a title.');
    const created = await create.run(() =>
      api.createItem({
        title: title.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      }),
    );
    if (!created) return;
    setTitle('');
    setDescription('');
    // Ready for the next one: the busy button had taken focus away from the form.
    titleInput?.focus();
    if (page !== 1) setParams({});
    else await load();
  }

  async function onSave(id: string, patch: UpdateItem) {
    const updated = await api.updateItem(id, patch);
    setData((d) => d && { ...d, items: d.items.map((i) => (i.id === id ? updated : i)) });
  }

  async function onDelete(id: string) {
    await api.deleteItem(id);
    focusListOnLoad.current = true;
    await load();
  }

  function goTo(p: number) {
    focusListOnLoad.current = true;
    setParams({ page: String(p) });
  }

  // After Previous/Next the URL changes before the new page arrives: until then the data on hand
  // belongs to another page, so the list shows "loading" rather than a range it does not hold.
  const current = data && data.offset === offset ? data : null;
  useEffect(() => {
    if (current && focusListOnLoad.current) {
      focusListOnLoad.current = false;
      listHeading.current?.focus();
    }
  }, [current]);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;
  const firstName = session?.user.name?.split(' ')[0];

  return (
    <div className="stack">
      <PageTitle>Your items</PageTitle>
      {firstName ? <p className="welcome">Welcome, {firstName}.</p> : null}
      <section className="card" aria-labelledby="new-item">
        <h2 id="new-item">New item</h2>
        {create.error ? <Alert kind="error">{create.error}</Alert> : null}
        <Form onSubmit={onCreate} className="inline-form">
          <Field
            label="Title"
            name="title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
          <Field
            label="Description (optional)"
            name="description"
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <SubmitButton busy={create.busy} busyLabel="Adding…">
            Add item
          </SubmitButton>
        </Form>
      </section>
      <section className="card" aria-labelledby="item-list" aria-busy={!current && !loadError}>
        <h2 id="item-list" ref={listHeading} tabIndex={-1}>
          List
        </h2>
        {loadError ? (
          <Alert kind="error">
            {loadError}{' '}
            <button type="button" className="link-button" onClick={() => void load()}>
              Try again
            </button>
          </Alert>
        ) : null}
        {!current && !loadError ? <Loading label="Loading your items…" /> : null}
        {current && current.total === 0 ? (
          <p className="empty">No items yet. Add your first one above.</p>
        ) : null}
        {current && current.items.length > 0 ? (
          <ul className="items">
            {current.items.map((item) => (
              <ItemRow key={item.id} item={item} onSave={onSave} onDelete={onDelete}>
                {api.attachmentsOn ? <Attachments item={item} /> : null}
              </ItemRow>
            ))}
          </ul>
        ) : null}
        {data && data.total > PAGE_SIZE ? (
          <nav className="pager" aria-label="Pages">
            <button type="button" disabled={!current || page <= 1} onClick={() => goTo(page - 1)}>
              Previous
            </button>
            <span aria-live="polite">
              {current
                ? `${offset + 1}–${Math.min(offset + PAGE_SIZE, current.total)} of ${current.total} (page ${page} of ${pages})`
                : `Page ${page} of ${pages}`}
            </span>
            <button type="button" disabled={!current || page >= pages} onClick={() => goTo(page + 1)}>
              Next
            </button>
          </nav>
        ) : null}
      </section>
    </div>
  );
}
