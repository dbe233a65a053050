/**
 * Child-process entry for the SIGTERM test: the production start path (startServer: config from env,
 * close-with-grace) plus one slow route, so requests are in flight when the signal arrives.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/main.ts';

const slowMs = Number(process.env.SLOW_MS ?? 800);
const app = await startServer(loadConfig(), {
  extraRoutes: (scope) => {
    scope.get('/slow', async () => {
      // Tells the test this request is in flight, so it can send SIGTERM only once all of them are.
      process.stdout.write('SLOW-BEGIN\n');
      await new Promise((r) => setTimeout(r, slowMs));
      return { ok: true };
    });
  },
});
process.stdout.write(`LISTENING ${(app.server.address() as AddressInfo).port}\n`);
