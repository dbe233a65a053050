import type { AppConfig } from '../../config.ts';
import type { Db } from '../../db/types.ts';
import { type AttachmentRecords, PostgresAttachmentRecords } from '../attachments/records.ts';
import { PostgresItemsStore } from './postgres-store.ts';
import type { ItemsStore } from './store.ts';

export { decodeCursor, encodeCursor } from './cursor.ts';
export { type ItemOwner, type ItemsStore, VersionConflictError } from './store.ts';

export interface OpenedItemsStore {
  store: ItemsStore;
  /** The items' attachment records, in the same database (ADR 0170). */
  attachments: AttachmentRecords;
  close(): Promise<void>;
}

/**
 * The store chosen by ITEMS_STORE (ADR 0092). Postgres shares the app's database; DynamoDB gets its
 * own client, and a local endpoint gets its table created on first start (on AWS the CDK stack owns it).
 */
export async function openItemsStore(config: Pick<AppConfig, 'items'>, db: Db): Promise<OpenedItemsStore> {
  const items = config.items;
  if (items.store === 'postgres')
    return {
      store: new PostgresItemsStore(db),
      attachments: new PostgresAttachmentRecords(db),
      close: async () => {},
    };
  // The DynamoDB modules (two AWS SDK clients) load only for this store (ADR 0207).
  const [{ DynamoAttachmentRecords }, { DynamoItemsStore }, { createDocumentClient, ensureLocalTable }] =
    await Promise.all([
      import('../attachments/dynamodb-records.ts'),
      import('./dynamodb-store.ts'),
      import('./dynamodb-table.ts'),
    ]);
  const client = createDocumentClient(items);
  if (items.endpoint) await ensureLocalTable(client, items.table);
  return {
    store: new DynamoItemsStore(client, items.table),
    attachments: new DynamoAttachmentRecords(client, items.table),
    close: async () => client.destroy(),
  };
}
