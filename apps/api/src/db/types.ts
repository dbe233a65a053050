export interface QueryOptions {
  /**
   * A prepared statement's name, for hot reads (ADR 0181): Postgres parses and plans it once per
   * connection, then each call is Bind/Execute only. One name, one SQL text, for ever. PGlite ignores it.
   */
  name?: string;
}

/** One query interface over node-postgres and PGlite, so services never know which one runs. */
export interface Queryable {
  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<{ rows: T[] }>;
  /** Runs a script of several statements without parameters (migrations, seeds). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` inside BEGIN/COMMIT on one connection; ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers `select 1`; rejects (DbUnavailableError) otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The part of the app config the data layer reads (AppConfig satisfies it structurally). */
export interface DbConfig {
  /** poolMax: connections one process opens at most (DB_POOL_MAX); the deploy budget counts on it. */
  db: { url?: string | undefined; dataDir: string; poolMax?: number | undefined };
}
