/** The browser tests' static server answers hostile request paths and stays up (ADR 0080). No browser. */
import { describeCrashProof, siteWithSecretNextToIt } from '../../docker/static-server-attacks.ts';
import { serveSite } from '../support/static-server.ts';

describeCrashProof('browser-test static server (e2e/support/static-server.ts)', async () => {
  const { site, remove } = siteWithSecretNextToIt();
  const server = await serveSite(site);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      remove();
    },
  };
});
