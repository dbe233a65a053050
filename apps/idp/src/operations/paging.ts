import { invalidParameter } from '../protocol/errors.ts';

/** The key a pagination token says the last page ended at (Cognito's error for anything else). */
export function tokenAfter(token: string): string {
  let after: unknown;
  try {
    after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')).after;
  } catch {
    after = undefined;
  }
  if (typeof after !== 'string') throw invalidParameter('Invalid pagination token.');
  return after;
}

/** The token for the page that follows the one ending at `key`. */
export const tokenFor = (key: string) => Buffer.from(JSON.stringify({ after: key })).toString('base64url');

/**
 * Cursor pagination over a list ordered by a stable key: the token names the last key returned, so
 * inserts and deletes between pages neither repeat nor skip the rest.
 */
export function paginate<T>(unsorted: T[], keyOf: (t: T) => string, limit: number, token?: string) {
  const items = [...unsorted].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  let start = 0;
  if (token) {
    const after = tokenAfter(token);
    start = items.findIndex((t) => keyOf(t) > after);
    if (start === -1) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length && page.length > 0;
  const next = more ? tokenFor(keyOf(page[page.length - 1]!)) : undefined;
  return { page, next };
}
