/** The page request names its start wrongly: a cursor we never handed out, or both offset and cursor (→ 400). */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/**
 * The position after the last item of a page: its creation time (as the store keeps it, to the
 * microsecond) and id. Opaque to clients (base64url JSON); the owner is never in it, so a cursor
 * can only ever seek within the caller's own items.
 */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt, i: position.id })).toString('base64url');
}

/** Throws InvalidCursorError for anything that is not a cursor this API handed out. */
export function decodeCursor(cursor: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const { t, i } = (parsed ?? {}) as { t?: unknown; i?: unknown };
  if (typeof t !== 'string' || typeof i !== 'string' || !TIMESTAMP.test(t) || !UUID.test(i)) {
    throw new InvalidCursorError('The cursor is not one this API handed out; start again without it.');
  }
  return { createdAt: t, id: i };
}

/** `offset` and `cursor` are two ways to say where a page starts: refuse both at once. */
export function startOf(page: { offset: number; cursor?: string | undefined }): CursorPosition | undefined {
  if (page.cursor === undefined) return undefined;
  if (page.offset !== 0) throw new InvalidCursorError('Send either offset or cursor, not both.');
  return decodeCursor(page.cursor);
}
