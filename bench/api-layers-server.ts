/**
 * One server of bench/api-layers.ts: Fastify with the API's own server options (logging, request ids)
 * and the first BENCH_LAYERS of its per-request plugins (requestLayers, then metrics), answering the
 * same JSON as api-server.ts's probe route. BENCH_LAYERS=-1: bare Fastify, no options.
 * Sends `{ port }` over IPC when listening.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { loadConfig, requestLayers, serverOptions } from '../apps/api/src/index.ts';
import { metricsPlugin } from '../apps/api/src/plugins/external/metrics.ts';

/** The verifier's counters the metrics plugin reads at scrape time; no token is verified here. */
const verifierStats = fp(
  async (app: FastifyInstance) => {
    app.decorate('verifier', {
      stats: { cacheHits: 0, cacheMisses: 0, rejected: 0 },
      jwksCache: { fetchAttempts: 0, fetchFailures: 0 },
    } as never);
  },
  { name: 'verifier' },
);

/** The layers in buildApp's order, then metrics (registered later in buildApp, after the verifier). */
export function layerNames(): string[] {
  return [...requestLayers(loadConfig()).map((l) => l.name), 'metrics'];
}

if (process.env.BENCH_LAYERS !== undefined) {
  const count = Number(process.env.BENCH_LAYERS);
  const config = loadConfig();
  const app = count < 0 ? Fastify() : Fastify(serverOptions(config));
  const layers = requestLayers(config);
  for (const layer of layers.slice(0, Math.max(0, count))) await layer.register(app);
  if (count > layers.length) {
    await app.register(verifierStats);
    await app.register(metricsPlugin, { defaultMetrics: true });
  }
  app.get('/bench/public', async () => ({ ok: true, at: 'bench' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ port: (app.server.address() as AddressInfo).port });
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}
