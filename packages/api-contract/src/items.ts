import { type Static, Type } from '@sinclair/typebox';

/** An item belongs to exactly one user (its `ownerSub`); other users never see it (404). */
export const Item = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.String({ maxLength: 2000 }),
    done: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
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

export const Pagination = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
});
export type Pagination = Static<typeof Pagination>;

/** Newest first. `total` counts all of the caller's items. */
export const ItemPage = Type.Object({
  items: Type.Array(Item),
  total: Type.Integer({ minimum: 0 }),
  limit: Type.Integer(),
  offset: Type.Integer(),
});
export type ItemPage = Static<typeof ItemPage>;
