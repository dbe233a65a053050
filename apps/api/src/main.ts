import { pathToFileURL } from 'node:url';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { type AppOverrides, buildApp } from './app.ts';
import { type AppConfig, ConfigError, loadConfig } from './config.ts';

/** How long SIGTERM waits for in-flight requests before exiting anyway (ECS gives 30 s by default). */
const GRACE_MS = 20_000;

/**
 * Builds the app, listens, and installs graceful shutdown: on SIGTERM/SIGINT Fastify stops accepting
 * connections, finishes requests in flight (new requests on kept-alive sockets get 503 + close), then
 * closes the database and the store.
 */
export async function startServer(config: AppConfig, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const app = await buildApp(config, overrides);
  closeWithGrace({ delay: GRACE_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    // server.close() waits for every socket; kept-alive sockets go idle only after their in-flight
    // response, so keep closing idle ones until the last request has been answered.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    try {
      await app.close();
    } finally {
      clearInterval(reaper);
    }
    app.log.info('shut down cleanly');
  });
  await app.listen({ host: config.host, port: config.port });
  return app;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  await startServer(config);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
