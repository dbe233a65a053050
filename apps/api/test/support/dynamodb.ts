import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

export interface LocalDynamo {
  endpoint: string;
  /** Env for an app whose items live in a fresh table of this server. */
  env(): Record<string, string>;
  stop(): Promise<void>;
}

/** A real DynamoDB-compatible server (dynalite, in memory) on 127.0.0.1 and a free port. */
export async function startDynalite(): Promise<LocalDynamo> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    env: () => ({
      ITEMS_STORE: 'dynamodb',
      DYNAMODB_ENDPOINT: endpoint,
      DYNAMODB_TABLE: `items_${randomBytes(6).toString('hex')}`,
    }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
