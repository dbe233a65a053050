import { randomUUID } from 'node:crypto';
import type { CreateItem, Item, ItemPage, Pagination, UpdateItem } from '@app/api-contract';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DbUnavailableError, isConnectionError } from '../../db/errors.ts';
import { encodeCursor, startOf } from './cursor.ts';
import { BY_CREATED, KEYS } from './dynamodb-table.ts';
import { type ItemOwner, type ItemsStore, missingOrConflict } from './store.ts';

interface ItemRecord {
  PK: string;
  SK: string;
  createdKey: string;
  id: string;
  title: string;
  description: string;
  done: boolean;
  /** To the microsecond, strictly increasing per process, so items made in one millisecond keep their order. */
  createdAt: string;
  updatedAt: string;
  version: number;
}
type Key = Record<string, unknown>;

let lastMicros = 0;
function nowMicrosIso(): string {
  lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
  const iso = new Date(Math.floor(lastMicros / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(lastMicros % 1000).padStart(3, '0')}Z`;
}

function toItem(r: ItemRecord): Item {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    done: r.done,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: r.updatedAt,
    version: r.version,
  };
}

/** Network failures become the same 503 as a Postgres outage; anything else passes through. */
async function guard<T>(op: Promise<T>): Promise<T> {
  try {
    return await op;
  } catch (err) {
    throw isConnectionError(err) ? new DbUnavailableError(err) : err;
  }
}

/**
 * Items in DynamoDB, one partition per owner (ADR 0090): the partition key is built from the
 * caller's sub on every call, so no id or cursor can reach another owner's partition. Conditional
 * writes (`version = :expected`) make a stale write fail atomically on the server.
 */
export class DynamoItemsStore implements ItemsStore {
  readonly kind = 'dynamodb' as const;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async list(ownerSub: string, page: Pagination): Promise<ItemPage> {
    const pk = KEYS.pk(ownerSub);
    const after = startOf(page);
    let start: Key | undefined = after
      ? { PK: pk, SK: KEYS.itemSk(after.id), createdKey: KEYS.createdKey(after.createdAt, after.id) }
      : undefined;
    let ended = false;
    if (!after && page.offset > 0) ({ start, ended } = await this.skip(pk, page.offset));
    const [found, total] = await Promise.all([
      ended ? Promise.resolve([]) : this.newest(pk, page.limit + 1, start),
      this.count(pk),
    ]);
    const items = found.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map(toItem),
      total,
      limit: page.limit,
      offset: after ? 0 : page.offset,
      next_cursor:
        found.length > page.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  async create(owner: ItemOwner, input: CreateItem): Promise<Item> {
    return toItem(await this.put(owner, randomUUID(), input, nowMicrosIso()));
  }

  async seed(owner: ItemOwner, id: string, input: Required<CreateItem>, createdAt: Date): Promise<boolean> {
    try {
      await this.put(owner, id, input, `${createdAt.toISOString().slice(0, 23)}000Z`);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** A read of a key no item has: proves the endpoint, the credentials and the table. */
  async ping(): Promise<boolean> {
    await guard(this.client.send(new GetCommand({ TableName: this.table, Key: { PK: 'PING', SK: 'PING' } })));
    return true;
  }

  /** Writes a new item; ConditionalCheckFailedException when the id is taken. */
  private async put(owner: ItemOwner, id: string, input: CreateItem, createdAt: string): Promise<ItemRecord> {
    const record: ItemRecord = {
      PK: KEYS.pk(owner.sub),
      SK: KEYS.itemSk(id),
      createdKey: KEYS.createdKey(createdAt, id),
      id,
      title: input.title,
      description: input.description ?? '',
      done: input.done ?? false,
      createdAt,
      updatedAt: new Date(createdAt).toISOString(),
      version: 1,
    };
    await guard(
      this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: record,
          ConditionExpression: 'attribute_not_exists(SK)',
        }),
      ),
    );
    return record;
  }

  async get(ownerSub: string, id: string): Promise<Item | null> {
    const { Item: found } = await guard(
      this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { PK: KEYS.pk(ownerSub), SK: KEYS.itemSk(id) },
          ConsistentRead: true,
        }),
      ),
    );
    return found ? toItem(found as ItemRecord) : null;
  }

  async update(ownerSub: string, id: string, patch: UpdateItem, ifVersion?: number): Promise<Item | null> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':now': new Date().toISOString(), ':one': 1 };
    const sets = ['updatedAt = :now', '#version = #version + :one'];
    names['#version'] = 'version';
    for (const field of ['title', 'description', 'done'] as const) {
      if (patch[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = patch[field];
      sets.push(`#${field} = :${field}`);
    }
    let condition = 'attribute_exists(SK)';
    if (ifVersion !== undefined) {
      condition += ' AND #version = :expected';
      values[':expected'] = ifVersion;
    }
    try {
      const { Attributes } = await guard(
        this.client.send(
          new UpdateCommand({
            TableName: this.table,
            Key: { PK: KEYS.pk(ownerSub), SK: KEYS.itemSk(id) },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return toItem(Attributes as ItemRecord);
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return missingOrConflict(this, ownerSub, id, ifVersion);
    }
  }

  async delete(ownerSub: string, id: string, ifVersion?: number): Promise<boolean> {
    try {
      await guard(
        this.client.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { PK: KEYS.pk(ownerSub), SK: KEYS.itemSk(id) },
            ConditionExpression:
              ifVersion === undefined
                ? 'attribute_exists(SK)'
                : 'attribute_exists(SK) AND #version = :expected',
            ...(ifVersion === undefined
              ? {}
              : {
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': ifVersion },
                }),
          }),
        ),
      );
      return true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      await missingOrConflict(this, ownerSub, id, ifVersion);
      return false;
    }
  }

  /**
   * The owner's whole partition, one DeleteItem per key (the task role's item-level grants already
   * allow it, ADR 0093); pages of keys from the base table so nothing is missed while deleting.
   */
  async deleteAllOf(ownerSub: string): Promise<number> {
    const pk = KEYS.pk(ownerSub);
    let removed = 0;
    let from: Key | undefined;
    do {
      const res = await guard(
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'PK = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ProjectionExpression: 'PK, SK',
            ConsistentRead: true,
            ...(from ? { ExclusiveStartKey: from } : {}),
          }),
        ),
      );
      for (const key of (res.Items ?? []) as Key[])
        await guard(this.client.send(new DeleteCommand({ TableName: this.table, Key: key })));
      removed += res.Items?.length ?? 0;
      from = res.LastEvaluatedKey;
    } while (from);
    return removed;
  }

  /**
   * One page of the owner's items on the by-created index, newest first (consistent read). The three
   * callers below differ only in projection, limit and start key.
   */
  private page(pk: string, from: Key | undefined, extra: Partial<QueryCommandInput>) {
    return guard(
      this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: BY_CREATED,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
          ConsistentRead: true,
          ...extra,
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      ),
    );
  }

  /** Up to `want` items newest first from `start`; loops because a page may stop early at 1 MB. */
  private async newest(pk: string, want: number, start?: Key): Promise<ItemRecord[]> {
    const out: ItemRecord[] = [];
    let from = start;
    do {
      const res = await this.page(pk, from, { Limit: want - out.length });
      out.push(...((res.Items ?? []) as ItemRecord[]));
      from = res.LastEvaluatedKey;
    } while (from && out.length < want);
    return out;
  }

  /** The key after the first `offset` items (keys only), or ended when there are no more. */
  private async skip(pk: string, offset: number): Promise<{ start?: Key; ended: boolean }> {
    let skipped = 0;
    let from: Key | undefined;
    do {
      const res = await this.page(pk, from, {
        ProjectionExpression: 'PK, SK, createdKey',
        Limit: offset - skipped,
      });
      skipped += res.Count ?? 0;
      from = res.LastEvaluatedKey;
    } while (from && skipped < offset);
    return from ? { start: from, ended: false } : { ended: true };
  }

  private async count(pk: string): Promise<number> {
    let total = 0;
    let from: Key | undefined;
    do {
      const res = await this.page(pk, from, { Select: 'COUNT' });
      total += res.Count ?? 0;
      from = res.LastEvaluatedKey;
    } while (from);
    return total;
  }
}
