import { createPostgresDb, type Db } from '../../src/db/index.ts';
import {
  createTestDatabase,
  type LocalDynamo,
  openTestPglite,
  startDynalite,
  type TestDatabase,
} from '../support/index.ts';

/**
 * The three items stores the one items suite runs on: PGlite, Postgres and DynamoDB (a real local
 * dynalite). Profiles (users) stay in Postgres in every case; only items move.
 */
export interface ItemStoreCase {
  /** The app's database (profiles, and items unless env moves them). */
  open(): Promise<Db>;
  /** Extra env for the app config. */
  env(): Record<string, string>;
}

export function itemStoreCases(prefix: string): {
  cases: Array<[string, ItemStoreCase]>;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
} {
  let pg: TestDatabase | undefined;
  let dynamo: LocalDynamo | undefined;
  return {
    cases: [
      ['pglite', { open: () => openTestPglite(), env: () => ({}) }],
      ['postgres', { open: async () => createPostgresDb(pg!.url), env: () => ({}) }],
      ['dynamodb', { open: async () => createPostgresDb(pg!.url), env: () => dynamo!.env() }],
    ],
    async setUp() {
      [pg, dynamo] = await Promise.all([createTestDatabase(prefix), startDynalite()]);
    },
    async tearDown() {
      await Promise.all([pg?.drop(), dynamo?.stop()]);
    },
  };
}
