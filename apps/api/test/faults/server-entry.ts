/**
 * Child-process entry for the SIGTERM test: the production start path (startServer: config from env,
 * close-with-grace) plus one slow route, so requests are in flight when the signal arrives, and one
 * that makes the process crash.
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
    // An error thrown outside any request, as a bug in a timer callback would: the process must log
    // it and exit with every buffered log line written (ADR 0182).
    scope.get('/crash', async () => {
      setImmediate(() => {
        throw new Error('crash on purpose');
      });
      return { ok: true };
    });
  },
});
process.stdout.write(`LISTENING ${(app.server.address() as AddressInfo).port}\n`);
