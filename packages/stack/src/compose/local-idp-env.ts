/**
 * Compose-only glue (never used on AWS), bundled into the API image as local-idp-env.mjs: the local
 * IdP writes bootstrap.json to a shared volume on its first start; this reads it and
 *   node local-idp-env.mjs api            -> sets the API's COGNITO_* (unless set) and runs main.mjs
 *   node local-idp-env.mjs seed           -> same, runs seed.mjs (demo data)
 *   node local-idp-env.mjs run FILE       -> same, runs FILE (dev: `node --import tsx … run src.ts`)
 *   node local-idp-env.mjs web-config F   -> writes the SPA's config.json to F
 * Variables: IDP_BOOTSTRAP_FILE (required), API_PUBLIC_URL (for web-config), BOOTSTRAP_WAIT_MS.
 * The mapping is packages/stack's apiEnv() and webConfig(), the same `npm start` uses.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { apiEnv } from '../wiring/api-env.ts';
import { poolIdsFromBootstrap, readBootstrapFile } from '../wiring/pool.ts';
import { webConfig } from '../wiring/web-config.ts';

const entries: Record<string, string> = { api: 'main.mjs', seed: 'seed.mjs' };

async function main() {
  const [command = 'api', target] = process.argv.slice(2);
  const file = process.env.IDP_BOOTSTRAP_FILE;
  if (!file) throw new Error('IDP_BOOTSTRAP_FILE is not set');
  const bootstrap = await readBootstrapFile(file, Number(process.env.BOOTSTRAP_WAIT_MS ?? 60_000));
  const pool = poolIdsFromBootstrap(bootstrap.pool);
  if (command === 'web-config') {
    if (!target) throw new Error('usage: local-idp-env.mjs web-config <output file>');
    const apiUrl = process.env.API_PUBLIC_URL ?? 'http://127.0.0.1:8000';
    writeFileSync(target, `${JSON.stringify(webConfig(pool, { apiUrl, idpUrl: bootstrap.url }), null, 2)}\n`);
    console.log(`wrote ${target}`);
    return;
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const entry =
    command === 'run'
      ? target
        ? resolve(target)
        : undefined
      : entries[command] && join(here, entries[command]);
  if (!entry) throw new Error(`unknown command "${command}" (api, seed, run <file>, web-config <file>)`);
  for (const [name, value] of Object.entries(apiEnv(pool, { idpUrl: bootstrap.url }))) {
    if (value !== undefined && !process.env[name]) process.env[name] = value;
  }
  // main.mjs starts only when it is the process entry point, so present it as such.
  process.argv[1] = entry;
  await import(pathToFileURL(entry).href);
}

main().catch((err: unknown) => {
  console.error(`[local-idp-env] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
