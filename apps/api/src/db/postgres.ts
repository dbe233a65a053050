import pg from 'pg';
import { toDbError } from './errors.ts';
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

  const query: Queryable['query'] = async (sql, params) => {
    try {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows };
    } catch (err) {
      throw toDbError(err);
    }
  };

  return {
    kind: 'postgres',
    query,
    async exec(sql) {
      // Without parameters node-postgres uses the simple protocol, which accepts several statements.
      await query(sql);
    },
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw toDbError(err);
      }
      const tx: Queryable = {
        async query(sql, params) {
          try {
            const result = await client.query(sql, params as unknown[] | undefined);
            return { rows: result.rows };
          } catch (err) {
            throw toDbError(err);
          }
        },
        async exec(sql) {
          await tx.query(sql);
        },
      };
      let broken: unknown;
      try {
        await tx.query('BEGIN');
        const result = await fn(tx);
        await tx.query('COMMIT');
        return result;
      } catch (err) {
        broken = err;
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        // A client whose connection failed must not go back into the pool.
        client.release(broken !== undefined && toDbError(broken) !== broken ? true : undefined);
      }
    },
    async ping() {
      await query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
}
