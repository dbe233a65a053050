import pg from 'pg';
import { DbUnavailableError, isConnectionError, toDbError } from './errors.ts';
import type { Db, Queryable } from './types.ts';

export interface PostgresOptions {
  max?: number;
  connectionTimeoutMillis?: number;
}

/** node-postgres Pool behind the Db interface; connection failures surface as DbUnavailableError. */
export function createPostgresDb(url: string, options: PostgresOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server goes away emits 'error' on the pool; unhandled it would crash the process.
  pool.on('error', () => {});

  /** Whatever stops us getting a connection (refused, timed out, database closed to logins) is an outage. */
  async function acquire(): Promise<pg.PoolClient> {
    try {
      return await pool.connect();
    } catch (err) {
      throw new DbUnavailableError(err);
    }
  }

  function wrap(client: pg.PoolClient): Queryable {
    return {
      async query(sql, params, options) {
        try {
          const values = params as unknown[] | undefined;
          const result = await (options?.name
            ? client.query({ name: options.name, text: sql, ...(values ? { values } : {}) })
            : client.query(sql, values));
          return { rows: result.rows };
        } catch (err) {
          throw toDbError(err);
        }
      },
      async exec(sql) {
        // Without parameters node-postgres uses the simple protocol, which accepts several statements.
        await this.query(sql);
      },
    };
  }

  /** Runs fn on one pooled connection; a connection that failed is destroyed, not returned to the pool. */
  async function withClient<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await acquire();
    let broken = false;
    try {
      return await fn(wrap(client));
    } catch (err) {
      broken = isConnectionError(err);
      throw err;
    } finally {
      client.release(broken);
    }
  }

  return {
    kind: 'postgres',
    query: (sql, params, options) => withClient((q) => q.query(sql, params, options)),
    exec: (sql) => withClient((q) => q.exec(sql)),
    transaction: (fn) =>
      withClient(async (tx) => {
        await tx.query('BEGIN');
        try {
          const result = await fn(tx);
          await tx.query('COMMIT');
          return result;
        } catch (err) {
          await tx.query('ROLLBACK').catch(() => {});
          throw err;
        }
      }),
    async ping() {
      await withClient((q) => q.query('select 1'));
    },
    async close() {
      await pool.end();
    },
  };
}
