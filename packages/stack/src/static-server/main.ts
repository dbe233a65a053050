/**
 * The web image's entry (bundled by docker/bundle.ts into dist/web/web-server.mjs): serves WEB_ROOT
 * on HOST:PORT with /config.json from WEB_CONFIG_FILE (compose writes it from the local IdP's ids).
 */
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFile, createSpaServer } from './server.ts';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '0.0.0.0';
const server = createSpaServer({
  root: process.env.WEB_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), 'public'),
  config: configFile(process.env.WEB_CONFIG_FILE),
});
// Logs the bound port: with PORT=0 (tests) the system picks it.
server.listen(port, host, () =>
  console.log(JSON.stringify({ msg: 'web listening', host, port: (server.address() as AddressInfo).port })),
);
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.on(signal, () => server.close(() => process.exit(0)));
