import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLoopbackUrl } from '../../config.ts';

/**
 * The single-table key design (ADR 0090). One partition per owner, so every request reads and
 * writes only the caller's partition, and ownership is part of every key:
 *
 *   PK = USER#<sub>   SK = ITEM#<id>                 the item
 *                     SK = ITEM#<id>#FILE#<fileId>   its attachments (ADR 0170), deleted with it
 *
 * The local secondary index `byCreated` sorts an owner's items by `createdKey` =
 * `<creation time to the microsecond>#<id>`, newest first when read backwards: it is sparse (only
 * items carry createdKey) and strongly consistent, so a list right after a write sees the write.
 */
export const KEYS = {
  pk: (sub: string) => `USER#${sub}`,
  itemSk: (id: string) => `ITEM#${id}`,
  filePrefix: (itemId: string) => `ITEM#${itemId}#FILE#`,
  fileSk: (itemId: string, fileId: string) => `ITEM#${itemId}#FILE#${fileId}`,
  createdKey: (createdAt: string, id: string) => `${createdAt}#${id}`,
} as const;

export const BY_CREATED = 'byCreated';

/** The table as CreateTable wants it; infra/ builds the same shape with CDK (on-demand, PITR, KMS). */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'createdKey', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: BY_CREATED,
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'createdKey', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

export interface DynamoConfig {
  region: string;
  table: string;
  /** A local DynamoDB-compatible server (dynalite); unset = AWS. */
  endpoint?: string | undefined;
}

/**
 * One document client per app. Credentials come from the default chain (the task role on ECS),
 * except for a loopback endpoint, which cannot check SigV4 and gets static dummy credentials.
 */
export function createDocumentClient(config: DynamoConfig): DynamoDBDocumentClient {
  const local = config.endpoint !== undefined && isLoopbackUrl(config.endpoint);
  const client = new DynamoDBClient({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 3000, requestTimeout: 10_000 },
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * Creates the table when it is missing — for a local server only: on AWS the CDK stack owns the
 * table and the task role may not create tables.
 */
export async function ensureLocalTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
}
