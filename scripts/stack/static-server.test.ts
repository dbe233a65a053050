/** The `npm start` web server answers hostile request paths and stays up (ADR 0080). */
import type { AddressInfo } from 'node:net';
import { describeCrashProof, siteWithSecretNextToIt } from '../../docker/static-server-attacks.ts';
import { serveSpa } from './static-server.ts';

describeCrashProof('npm start web server (scripts/stack/static-server.ts)', async () => {
  const { site, remove } = siteWithSecretNextToIt();
  const server = await serveSpa({ root: site, config: {}, host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      remove();
    },
  };
});
