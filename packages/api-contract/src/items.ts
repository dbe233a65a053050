import { type Static, Type } from '@sinclair/typebox';

/** An item belongs to exactly one user (its owner's `sub`); other users never see it (404). */
export const Item = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    done: Type.Boolean(),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    /** Starts at 1, +1 on every change; the ETag is `"<version>"`, send it as If-Match to refuse a stale write (412). */
    version: Type.Integer({ minimum: 1 }),
  },
  { $id: 'Item' },
);
export type Item = Static<typeof Item>;

export const CreateItem = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    done: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateItem = Static<typeof CreateItem>;

export const UpdateItem = Type.Partial(CreateItem, { additionalProperties: false, minProperties: 1 });
export type UpdateItem = Static<typeof UpdateItem>;

export const ItemParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Either `offset` (kept for old clients; pages shift when items are added) or `cursor`, the opaque
 * `next_cursor` of the previous page (stable: newer items never shift it). Not both.
 */
export const Pagination = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' })),
});
export type Pagination = Static<typeof Pagination>;

/** Newest first (creation time, then id). `total` counts all of the caller's items. */
export const ItemPage = Type.Object({
  items: Type.Array(Item),
  total: Type.Integer({ minimum: 0 }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type ItemPage = Static<typeof ItemPage>;
