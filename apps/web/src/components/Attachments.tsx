import type { Attachment, Item } from '@app/api-contract';
import { type ChangeEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../api/api-context.tsx';
import { ApiError } from '../api/problem.ts';
import { putFile } from '../api/upload.ts';
import { Alert } from './Alert.tsx';
import { type RefreshScheduler, useFreshDownloads } from './fresh-downloads.ts';
import { useAction } from './use-action.ts';

const IMAGE = /^image\/(png|jpeg|gif|webp)$/;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A short label for a file without a thumbnail: its extension (PDF, TXT), else FILE. */
function fileKind(name: string): string {
  const ext = /\.([a-z0-9]{1,4})$/i.exec(name)?.[1];
  return ext ? ext.toUpperCase() : 'FILE';
}

/** What went wrong with this file, in the user's terms; the API's own words say the limit. */
function uploadError(name: string, err: unknown): Error {
  if (!(err instanceof ApiError)) return err instanceof Error ? err : new Error(String(err));
  if (err.status === 413) return new Error(`“${name}” is too big to attach. ${err.message}`);
  if (err.status === 415) return new Error(`“${name}” is not a file type you can attach. ${err.message}`);
  if (err.status === 422)
    return new Error(`“${name}” did not arrive as it was sent, so it was not kept. ${err.message}`);
  return err;
}

/**
 * An item's files (ADR 0173): upload with a progress bar (the PUT goes straight to the presigned
 * URL), thumbnails for images, a download link for each, delete. The presigned links are fetched
 * again before they expire (fresh-downloads.ts); `scheduleRefresh` lets tests say when.
 */
export function Attachments({ item, scheduleRefresh }: { item: Item; scheduleRefresh?: RefreshScheduler }) {
  const api = useApi();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<Attachment[] | null>(null);
  const [sending, setSending] = useState<{ name: string; fraction: number } | null>(null);
  const load = useAction();
  const upload = useAction();
  const remove = useAction();

  useEffect(() => {
    void load.run(async () => setFiles((await api.listAttachments(item.id)).attachments));
  }, [api, item.id, load.run]);

  // In the background: a failed refresh leaves the old links, and the next error or timer tries again.
  const reload = useCallback(async () => {
    try {
      setFiles((await api.listAttachments(item.id)).attachments);
    } catch {}
  }, [api, item.id]);
  const fresh = useFreshDownloads(files, reload, scheduleRefresh);

  function onPick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    void upload
      .run(async () => {
        setSending({ name: file.name, fraction: 0 });
        const declared = {
          name: file.name,
          content_type: file.type || 'application/octet-stream',
          size: file.size,
        };
        try {
          if (file.size === 0) throw new Error(`“${file.name}” is empty.`);
          const presigned = await api.startUpload(item.id, declared);
          await putFile(presigned, file, (fraction) => setSending({ name: file.name, fraction }));
          const added = await api.completeUpload(item.id, { upload_id: presigned.upload_id, ...declared });
          setFiles((prev) => [...(prev ?? []), added]);
        } catch (err) {
          throw uploadError(file.name, err);
        }
      })
      .finally(() => {
        setSending(null);
        if (input.current) input.current.value = '';
      });
  }

  async function onDelete(a: Attachment) {
    await api.deleteAttachment(item.id, a.id);
    setFiles((prev) => (prev ?? []).filter((f) => f.id !== a.id));
  }

  const error = load.error ?? upload.error ?? remove.error;
  return (
    <section className="attachments" aria-label={`Files of ${item.title}`}>
      {error ? <Alert kind="error">{error}</Alert> : null}
      {files && files.length > 0 ? (
        <ul className="attachment-list">
          {files.map((a) => (
            <li key={a.id} className="attachment">
              {IMAGE.test(a.content_type) ? (
                <img
                  className="attachment-thumb"
                  src={a.download_url}
                  alt={`Preview of ${a.name}`}
                  onError={() => fresh.onImageError(a.id)}
                  onLoad={() => fresh.onImageLoad(a.id)}
                />
              ) : (
                // Same box as a thumbnail, so every row lines up; the link says what the file is.
                <span className="attachment-thumb attachment-kind" aria-hidden="true">
                  {fileKind(a.name)}
                </span>
              )}
              <span className="attachment-info">
                <a href={a.download_url} download={a.name} aria-label={`Download ${a.name}`}>
                  {a.name}
                </a>
                <span className="attachment-size">{formatBytes(a.size)}</span>
              </span>
              <button
                type="button"
                className="attachment-delete"
                disabled={remove.busy}
                onClick={() => void remove.run(() => onDelete(a))}
                aria-label={`Delete file ${a.name}`}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {sending ? (
        <div className="attachment-progress">
          <label htmlFor={`${inputId}-progress`}>Uploading {sending.name}</label>
          <progress id={`${inputId}-progress`} max={100} value={Math.round(sending.fraction * 100)}>
            {Math.round(sending.fraction * 100)}%
          </progress>
        </div>
      ) : null}
      <div className="row-actions">
        <label htmlFor={inputId} className="attachment-pick">
          {/* The title is in the row above: said to screen readers, not printed a second time. */}
          Attach a file<span className="visually-hidden"> to {item.title}</span>
        </label>
        <input id={inputId} ref={input} type="file" disabled={upload.busy} onChange={onPick} />
      </div>
    </section>
  );
}
