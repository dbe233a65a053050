import type { Attachment } from '@app/api-contract';
import { useCallback, useEffect, useRef } from 'react';

/**
 * Presigned download URLs expire (the API signs them for 10 minutes): the list is fetched again a
 * minute before the first one does, and once when an image fails to load (a laptop that slept past
 * the timer), so thumbnails and download links keep working without a page reload.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 60_000;
/** Never sooner than this, so a clock far off the server's cannot turn the timer into a busy loop. */
const MIN_DELAY_MS = 10_000;

/** Runs `run` at (about) the time `at` (ms since the epoch); returns a cancel. Tests pass their own. */
export type RefreshScheduler = (run: () => void, at: number) => () => void;

export const timerScheduler: RefreshScheduler = (run, at) => {
  const timer = setTimeout(run, Math.max(MIN_DELAY_MS, at - Date.now()));
  return () => clearTimeout(timer);
};

/** When to fetch the list again: a margin before its first download URL expires; none for no files. */
export function refreshAt(files: readonly Attachment[]): number | undefined {
  const expiries = files.map((f) => Date.parse(f.download_expires_at)).filter(Number.isFinite);
  return expiries.length ? Math.min(...expiries) - REFRESH_BEFORE_EXPIRY_MS : undefined;
}

export function useFreshDownloads(
  files: readonly Attachment[] | null,
  reload: () => Promise<void>,
  schedule: RefreshScheduler = timerScheduler,
) {
  useEffect(() => {
    const at = files ? refreshAt(files) : undefined;
    return at === undefined ? undefined : schedule(() => void reload(), at);
  }, [files, reload, schedule]);

  // One reload per image until it loads again: a file that is really gone must not loop.
  const retried = useRef(new Set<string>());
  const onImageError = useCallback(
    (id: string) => {
      if (retried.current.has(id)) return;
      retried.current.add(id);
      void reload();
    },
    [reload],
  );
  const onImageLoad = useCallback((id: string) => void retried.current.delete(id), []);
  return { onImageError, onImageLoad };
}
