import { randomUUID } from 'node:crypto';
import type { CreateItem, Item, ItemPage, Pagination, UpdateItem } from '@app/api-contract';
import type { Db } from '../db/index.ts';
import { ensureUserRow } from './users.ts';

interface ItemRow {
  id: string;
  title: string;
  description: string;
  done: boolean;
  created_at: Date;
  updated_at: Date;
}

const columns = 'id, title, description, done, created_at, updated_at';
const FOREIGN_KEY_VIOLATION = '23503';

function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    done: row.done,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * Every query filters on owner_sub: an item of another user is indistinguishable from a missing one
 * (both return null → 404), see ADR 0040.
 */
export class ItemsService {
  constructor(private readonly db: Db) {}

  async list(ownerSub: string, page: Pagination): Promise<ItemPage> {
    const [rows, count] = await Promise.all([
      this.db.query<ItemRow>(
        `select ${columns} from items where owner_sub = $1
         order by created_at desc, id desc limit $2 offset $3`,
        [ownerSub, page.limit, page.offset],
      ),
      this.db.query<{ total: number }>('select count(*)::int as total from items where owner_sub = $1', [
        ownerSub,
      ]),
    ]);
    return {
      items: rows.rows.map(toItem),
      total: count.rows[0]?.total ?? 0,
      limit: page.limit,
      offset: page.offset,
    };
  }

  async create(owner: { sub: string; username: string }, input: CreateItem): Promise<Item> {
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
    );
    return rows[0] ? toItem(rows[0]) : null;
  }

  async update(ownerSub: string, id: string, patch: UpdateItem): Promise<Item | null> {
    const sets: string[] = [];
    const params: unknown[] = [id, ownerSub];
    for (const field of ['title', 'description', 'done'] as const) {
      if (patch[field] !== undefined) {
        params.push(patch[field]);
        sets.push(`${field} = $${params.length}`);
      }
    }
    if (sets.length === 0) return this.get(ownerSub, id);
    const { rows } = await this.db.query<ItemRow>(
      `update items set ${sets.join(', ')}, updated_at = now()
       where id = $1 and owner_sub = $2 returning ${columns}`,
      params,
    );
    return rows[0] ? toItem(rows[0]) : null;
  }

  async delete(ownerSub: string, id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>(
      'delete from items where id = $1 and owner_sub = $2 returning id',
      [id, ownerSub],
    );
    return rows.length > 0;
  }
}
