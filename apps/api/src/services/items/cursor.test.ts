import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidCursorError, startOf } from './cursor.ts';

const position = { createdAt: '2026-11-30T00:47:01.123456Z', id: randomUUID() };

describe('item cursors', () => {
  it('round-trip a position to the microsecond, url-safe', () => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });
  it.each([
    ['not base64 JSON', 'zzzz'],
    ['a bad time', encodeCursor({ ...position, createdAt: "2026' or 1=1" })],
    ['a bad id', encodeCursor({ ...position, id: 'x' })],
    ['an array', Buffer.from('[]').toString('base64url')],
  ])('refuse %s with InvalidCursorError (the error handler answers 400)', (_name, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
  it('take either an offset or a cursor', () => {
    expect(startOf({ offset: 5 })).toBeUndefined();
    expect(startOf({ offset: 0, cursor: encodeCursor(position) })).toEqual(position);
    expect(() => startOf({ offset: 1, cursor: encodeCursor(position) })).toThrow(InvalidCursorError);
  });
});
