import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config.ts';
import { createDb } from './index.ts';
import { runMigrations } from './migrate.ts';
import type { Db, DbConfig } from './types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export interface DbPluginOptions {
  config: DbConfig | AppConfig;
  /** Use this database instead of opening one from config; the caller keeps ownership (not closed). */
  db?: Db;
  /** Close the given `db` with the app (ownership handed over). */
  closeDb?: boolean;
  /** Apply pending migrations before the app starts listening. */
  migrate?: boolean;
}

/**
 * Decorates `app.db`. Opening PGlite or a pg Pool never fails on a down server (the pool connects
 * lazily), so the app starts and /ready reports the outage; migrations, when asked for, do need it.
 */
export const dbPlugin = fp(
  async (app: FastifyInstance, opts: DbPluginOptions) => {
    const owned = !opts.db || opts.closeDb === true;
    const db = opts.db ?? (await createDb(opts.config));
    app.decorate('db', db);
    if (opts.migrate) {
      const applied = await runMigrations(db);
      if (applied.length > 0) app.log.info({ applied }, 'database migrations applied');
    }
    if (owned) app.addHook('onClose', async () => db.close());
  },
  { name: 'db', fastify: '5.x' },
);
