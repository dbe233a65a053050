import type { Db } from '../../db/index.ts';

/** One attachment as stored beside its item (the file itself is in S3 under `objectKey`). */
export interface AttachmentRecord {
  id: string;
  itemId: string;
  name: string;
  contentType: string;
  size: number;
  objectKey: string;
  createdAt: string;
}

/**
 * An owner's attachment records, in the database that holds the items (ADR 0170). Like the items
 * store, every call takes the caller's sub: another owner's records look missing.
 */
export interface AttachmentRecords {
  add(ownerSub: string, record: AttachmentRecord): Promise<void>;
  /** Oldest first. */
  list(ownerSub: string, itemId: string): Promise<AttachmentRecord[]>;
  get(ownerSub: string, itemId: string, id: string): Promise<AttachmentRecord | null>;
  remove(ownerSub: string, itemId: string, id: string): Promise<boolean>;
  /** Every record of the owner, of every item (account deletion). */
  listAllOf(ownerSub: string): Promise<AttachmentRecord[]>;
}

interface Row {
  id: string;
  item_id: string;
  name: string;
  content_type: string;
  size: string | number;
  object_key: string;
  created_at: Date;
}

const columns = 'id, item_id, name, content_type, size, object_key, created_at';
const toRecord = (r: Row): AttachmentRecord => ({
  id: r.id,
  itemId: r.item_id,
  name: r.name,
  contentType: r.content_type,
  size: Number(r.size),
  objectKey: r.object_key,
  createdAt: new Date(r.created_at).toISOString(),
});

export class PostgresAttachmentRecords implements AttachmentRecords {
  constructor(private readonly db: Db) {}

  async add(ownerSub: string, r: AttachmentRecord): Promise<void> {
    await this.db.query(
      `insert into attachments (id, owner_sub, item_id, name, content_type, size, object_key, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, ownerSub, r.itemId, r.name, r.contentType, r.size, r.objectKey, r.createdAt],
    );
  }

  async list(ownerSub: string, itemId: string): Promise<AttachmentRecord[]> {
    const { rows } = await this.db.query<Row>(
      `select ${columns} from attachments where owner_sub = $1 and item_id = $2 order by created_at, id`,
      [ownerSub, itemId],
    );
    return rows.map(toRecord);
  }

  async get(ownerSub: string, itemId: string, id: string): Promise<AttachmentRecord | null> {
    const { rows } = await this.db.query<Row>(
      `select ${columns} from attachments where owner_sub = $1 and item_id = $2 and id = $3`,
      [ownerSub, itemId, id],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async remove(ownerSub: string, itemId: string, id: string): Promise<boolean> {
    const { rows } = await this.db.query(
      'delete from attachments where owner_sub = $1 and item_id = $2 and id = $3 returning id',
      [ownerSub, itemId, id],
    );
    return rows.length > 0;
  }

  async listAllOf(ownerSub: string): Promise<AttachmentRecord[]> {
    const { rows } = await this.db.query<Row>(`select ${columns} from attachments where owner_sub = $1`, [
      ownerSub,
    ]);
    return rows.map(toRecord);
  }
}
