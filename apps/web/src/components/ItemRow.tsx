import type { Item, UpdateItem } from '@app/api-contract';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { Alert } from './Alert.tsx';
import { Field } from './Field.tsx';
import { Form } from './Form.tsx';
import { useAction } from './use-action.ts';

interface ItemRowProps {
  item: Item;
  onSave(id: string, patch: UpdateItem): Promise<void>;
  onDelete(id: string): Promise<void>;
  /** Shown under the item when it is not being edited (its files). */
  children?: ReactNode;
}

/** One item: shown, or edited in place. Escape cancels; focus returns to the Edit button. */
export function ItemRow({ item, onSave, onDelete, children }: ItemRowProps) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [title, setTitle] = useState(item.title);
  const [description, setDescription] = useState(item.description);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const save = useAction();
  const remove = useAction();

  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  function startEdit() {
    setTitle(item.title);
    setDescription(item.description);
    setEditing(true);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const patch: UpdateItem = {};
    if (title.trim() !== item.title) patch.title = title.trim();
    if (description !== item.description) patch.description = description;
    if (Object.keys(patch).length === 0) return setEditing(false);
    const ok = await save.run(async () => {
      await onSave(item.id, patch);
      return true;
    });
    if (ok) setEditing(false);
  }

  if (editing) {
    return (
      <li className="item editing">
        <Form
          onSubmit={onSubmit}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          aria-label={`Edit ${item.title}`}
        >
          {save.error ? <Alert kind="error">{save.error}</Alert> : null}
          <Field
            label="Title"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            autoFocus
          />
          <Field
            label="Description"
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <div className="row-actions">
            <button type="submit" className="primary" disabled={save.busy}>
              {save.busy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </Form>
      </li>
    );
  }

  return (
    <li className={`item${item.done ? ' done' : ''}${confirming ? ' confirming' : ''}`}>
      <div className="item-body">
        <label className="item-done">
          <input
            type="checkbox"
            checked={item.done}
            disabled={save.busy}
            onChange={() => void save.run(() => onSave(item.id, { done: !item.done }))}
          />
          <span className="visually-hidden">Done: </span>
          <span className="item-title">{item.title}</span>
        </label>
        {item.description ? <p className="item-description">{item.description}</p> : null}
      </div>
      {children}
      {save.error || remove.error ? <Alert kind="error">{save.error ?? remove.error}</Alert> : null}
      <div className="row-actions">
        {confirming ? (
          <>
            <span>Delete “{item.title}”?</span>
            <button
              type="button"
              className="danger"
              disabled={remove.busy}
              onClick={() => void remove.run(() => onDelete(item.id))}
            >
              {remove.busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            <button type="button" ref={editButton} onClick={startEdit} aria-label={`Edit ${item.title}`}>
              Edit
            </button>
            <button type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${item.title}`}>
              Delete
            </button>
          </>
        )}
      </div>
    </li>
  );
}
