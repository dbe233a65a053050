import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { KEYS } from '../items/dynamodb-table.ts';
import type { AttachmentRecord, AttachmentRecords } from './records.ts';

type Stored = AttachmentRecord & { PK: string; SK: string };

const strip = ({ PK: _pk, SK: _sk, ...record }: Stored): AttachmentRecord => record;

/**
 * Attachment records in the items table, in the owner's partition under the item's sort key
 * (`ITEM#<id>#FILE#<fileId>`, ADR 0090/0170). They carry no createdKey, so the items index never
 * lists them.
 */
export class DynamoAttachmentRecords implements AttachmentRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async add(ownerSub: string, record: AttachmentRecord): Promise<void> {
    const item: Stored = { PK: KEYS.pk(ownerSub), SK: KEYS.fileSk(record.itemId, record.id), ...record };
    await this.client.send(
      new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(SK)' }),
    );
  }

  async list(ownerSub: string, itemId: string): Promise<AttachmentRecord[]> {
    return this.query(ownerSub, KEYS.filePrefix(itemId));
  }

  /** The owner's partition holds items and files; only file records carry objectKey. */
  async listAllOf(ownerSub: string): Promise<AttachmentRecord[]> {
    return (await this.query(ownerSub, 'ITEM#')).filter((r) => r.objectKey !== undefined);
  }

  private async query(ownerSub: string, prefix: string): Promise<AttachmentRecord[]> {
    const out: AttachmentRecord[] = [];
    let from: Record<string, unknown> | undefined;
    do {
      const res = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': KEYS.pk(ownerSub), ':prefix': prefix },
          ConsistentRead: true,
          ...(from ? { ExclusiveStartKey: from } : {}),
        }),
      );
      out.push(...((res.Items ?? []) as Stored[]).map(strip));
      from = res.LastEvaluatedKey;
    } while (from);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(ownerSub: string, itemId: string, id: string): Promise<AttachmentRecord | null> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.table,
        Key: { PK: KEYS.pk(ownerSub), SK: KEYS.fileSk(itemId, id) },
        ConsistentRead: true,
      }),
    );
    return Item ? strip(Item as Stored) : null;
  }

  async remove(ownerSub: string, itemId: string, id: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { PK: KEYS.pk(ownerSub), SK: KEYS.fileSk(itemId, id) },
          ConditionExpression: 'attribute_exists(SK)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
