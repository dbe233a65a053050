/**
 * The API as `npm start` runs it, as its own process (ADR 0003). It loads its code, opens the
 * database and applies the migrations at once, while the IdP is still starting; then it waits for
 * its Cognito settings from the start process over IPC (they exist only once the IdP has its
 * pool), listens, and seeds the demo account's items on the same database handle. One process and
 * one database open instead of three (migrate, seed, API): ADR 0101.
 */
import {
  type ApiEnv,
  createDb,
  type DemoDataUser,
  loadConfig,
  preloadRoutes,
  runMigrations,
  seedDemoData,
  startServer,
} from '@app/api';

export type ApiPartMessage = { type: 'start'; env: ApiEnv } | { type: 'seed'; user: DemoDataUser };
export type ApiPartReport =
  | { type: 'migrated'; applied: string[]; kind: string }
  | { type: 'listening'; url: string }
  | { type: 'seeded'; added: number };

function report(message: ApiPartReport) {
  process.send?.(message);
}

/** The next message of `type` from the start process; waiting for it keeps this process alive. */
function next<T extends ApiPartMessage['type']>(type: T): Promise<Extract<ApiPartMessage, { type: T }>> {
  return new Promise((resolve) => {
    process.channel?.ref();
    const onMessage = (m: ApiPartMessage) => {
      if (m.type !== type) return;
      process.off('message', onMessage);
      process.channel?.unref();
      resolve(m as Extract<ApiPartMessage, { type: T }>);
    };
    process.on('message', onMessage);
  });
}

async function main() {
  const started = next('start');
  const url = process.env.DATABASE_URL?.trim();
  const [db] = await Promise.all([
    createDb({ db: { ...(url ? { url } : {}), dataDir: process.env.DATA_DIR ?? './.data/api' } }),
    preloadRoutes(),
  ]);
  const applied = await runMigrations(db);
  report({ type: 'migrated', applied, kind: db.kind });
  const config = loadConfig({ ...process.env, ...(await started).env });
  const seeding = next('seed');
  const app = await startServer(config, { db, closeDb: true, migrate: false });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  report({ type: 'listening', url: `http://${config.host}:${port}` });
  // The demo account exists in the IdP only now (the start process made it meanwhile).
  const { user } = await seeding;
  const added = await seedDemoData(db, app.items, user);
  if (added > 0) console.log(`seeded ${user.email}: ${added} demo item(s)`);
  report({ type: 'seeded', added });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
