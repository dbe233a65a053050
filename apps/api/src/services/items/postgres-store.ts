import { randomUUID } from 'node:crypto';
import type { CreateItem, Item, ItemPage, Pagination, UpdateItem } from '@app/api-contract';
import type { Db } from '../../db/index.ts';
import { ensureUserRow } from '../users.ts';
import { encodeCursor, startOf } from './cursor.ts';
import { type ItemOwner, type ItemsStore, missingOrConflict } from './store.ts';

interface ItemRow {
  id: string;
  title: string;
  description: string;
  done: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
  /** created_at to the microsecond, for cursors (a JS Date would round it to the millisecond). */
  created_key: string;
}

const columns = `id, title, description, done, created_at, updated_at, version,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;
const FOREIGN_KEY_VIOLATION = '23503';

function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    done: row.done,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    version: row.version,
  };
}

/**
 * Items in Postgres or PGlite. Every query filters on owner_sub: an item of another user is
 * indistinguishable from a missing one (both return null → 404), see ADR 0040. A conditional write
 * is one UPDATE/DELETE … where version = $n, which Postgres re-checks against the latest row under
 * concurrent writers, so two writers of the same version never both succeed.
 */
export class PostgresItemsStore implements ItemsStore {
  readonly kind: 'postgres' | 'pglite';

  constructor(private readonly db: Db) {
    this.kind = db.kind;
  }

  async list(ownerSub: string, page: Pagination): Promise<ItemPage> {
    const after = startOf(page);
    const rows = after
      ? this.db.query<ItemRow>(
          `select ${columns} from items where owner_sub = $1 and (created_at, id) < ($2::timestamptz, $3::uuid)
           order by created_at desc, id desc limit $4`,
          [ownerSub, after.createdAt, after.id, page.limit + 1],
        )
      : this.db.query<ItemRow>(
          `select ${columns} from items where owner_sub = $1
           order by created_at desc, id desc limit $2 offset $3`,
          [ownerSub, page.limit + 1, page.offset],
        );
    const [found, count] = await Promise.all([
      rows,
      this.db.query<{ total: number }>('select count(*)::int as total from items where owner_sub = $1', [
        ownerSub,
      ]),
    ]);
    const items = found.rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(toItem),
      total: count.rows[0]?.total ?? 0,
      limit: page.limit,
      offset: after ? 0 : page.offset,
      next_cursor:
        found.rows.length > page.limit && last
          ? encodeCursor({ createdAt: last.created_key, id: last.id })
          : null,
    };
  }

  async create(owner: ItemOwner, input: CreateItem): Promise<Item> {
    const insert = () =>
      this.db.query<ItemRow>(
        `insert into items (id, owner_sub, title, description, done)
         values ($1, $2, $3, $4, $5) returning ${columns}`,
        [randomUUID(), owner.sub, input.title, input.description ?? '', input.done ?? false],
      );
    try {
      return toItem((await insert()).rows[0]!);
    } catch (err) {
      // First item of a caller who never called /users/me: create the profile row, then retry once.
      if ((err as { code?: string }).code !== FOREIGN_KEY_VIOLATION) throw err;
      await ensureUserRow(this.db, owner);
      return toItem((await insert()).rows[0]!);
    }
  }

  async get(ownerSub: string, id: string): Promise<Item | null> {
    const { rows } = await this.db.query<ItemRow>(
      `select ${columns} from items where id = $1 and owner_sub = $2`,
      [id, ownerSub],
      { name: 'items_get' },
    );
    return rows[0] ? toItem(rows[0]) : null;
  }

  async update(ownerSub: string, id: string, patch: UpdateItem, ifVersion?: number): Promise<Item | null> {
    const sets: string[] = [];
    const params: unknown[] = [id, ownerSub, ifVersion ?? null];
    for (const field of ['title', 'description', 'done'] as const) {
      if (patch[field] !== undefined) {
        params.push(patch[field]);
        sets.push(`${field} = $${params.length}`);
      }
    }
    if (sets.length === 0) return this.get(ownerSub, id);
    const { rows } = await this.db.query<ItemRow>(
      `update items set ${sets.join(', ')}, updated_at = now(), version = version + 1
       where id = $1 and owner_sub = $2 and ($3::int is null or version = $3::int) returning ${columns}`,
      params,
    );
    if (rows[0]) return toItem(rows[0]);
    return missingOrConflict(this, ownerSub, id, ifVersion);
  }

  async delete(ownerSub: string, id: string, ifVersion?: number): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      `delete from items where id = $1 and owner_sub = $2 and ($3::int is null or version = $3::int)
       returning id`,
      [id, ownerSub, ifVersion ?? null],
    );
    if (rows.length > 0) return true;
    await missingOrConflict(this, ownerSub, id, ifVersion);
    return false;
  }

  async seed(owner: ItemOwner, id: string, input: Required<CreateItem>, createdAt: Date): Promise<boolean> {
    // The caller (seedDemoData) has written the owner's users row.
    const { rows } = await this.db.query(
      `insert into items (id, owner_sub, title, description, done, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $6) on conflict (id) do nothing returning id`,
      [id, owner.sub, input.title, input.description, input.done, createdAt],
    );
    return rows.length > 0;
  }

  async ping(): Promise<boolean> {
    await this.db.ping();
    return true;
  }

  async deleteAllOf(ownerSub: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'with gone as (delete from items where owner_sub = $1 returning 1) select count(*)::int as n from gone',
      [ownerSub],
    );
    return rows[0]?.n ?? 0;
  }
}
