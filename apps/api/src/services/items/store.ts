import type { CreateItem, Item, ItemPage, Pagination, UpdateItem } from '@app/api-contract';

/**
 * The items of one owner, whichever database holds them (ADR 0090). Every method takes the caller's
 * `sub` and never reaches another owner's items: theirs look exactly like missing ones (null/false →
 * 404, ADR 0040).
 */
export interface ItemsStore {
  readonly kind: 'postgres' | 'pglite' | 'dynamodb';
  /** Newest first (creation time, then id); `cursor` pages are stable, `offset` pages are not. */
  list(ownerSub: string, page: Pagination): Promise<ItemPage>;
  create(owner: ItemOwner, input: CreateItem): Promise<Item>;
  get(ownerSub: string, id: string): Promise<Item | null>;
  /** Throws VersionConflictError when `ifVersion` is given and the item has moved on. */
  update(ownerSub: string, id: string, patch: UpdateItem, ifVersion?: number): Promise<Item | null>;
  delete(ownerSub: string, id: string, ifVersion?: number): Promise<boolean>;
  /** Demo data: the item with this id and creation time unless it exists already. True when added. */
  seed(owner: ItemOwner, id: string, input: Required<CreateItem>, createdAt: Date): Promise<boolean>;
  /** For /ready: the store answers. */
  ping(): Promise<boolean>;
  /** Every item of the owner, for account deletion (ADR 0150); the number removed. */
  deleteAllOf(ownerSub: string): Promise<number>;
}

export interface ItemOwner {
  sub: string;
  username: string;
}

/** A conditional write named a version the item no longer has: nothing was changed. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(readonly currentVersion: number) {
    super(`the item is at version ${currentVersion}`);
  }
}

/**
 * After a write that matched nothing: null when the owner has no such item (→ 404), a
 * VersionConflictError when it exists at another version than the one the write named (→ 412).
 */
export async function missingOrConflict(
  store: Pick<ItemsStore, 'get'>,
  ownerSub: string,
  id: string,
  ifVersion?: number,
): Promise<null> {
  if (ifVersion === undefined) return null;
  const current = await store.get(ownerSub, id);
  if (current) throw new VersionConflictError(current.version);
  return null;
}
