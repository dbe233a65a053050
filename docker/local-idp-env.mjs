// Compose-only glue (never used on AWS): the local IdP creates its pool on first start and writes
// the ids to bootstrap.json in its data folder. This reads that file from a shared volume and
//   node local-idp-env.mjs api            -> fills COGNITO_* (unless set) and runs main.mjs
//   node local-idp-env.mjs seed           -> same, runs seed.mjs (demo data)
//   node local-idp-env.mjs run FILE       -> same, runs FILE (dev: `node --import tsx ... run src.ts`)
//   node local-idp-env.mjs web-config F   -> writes the SPA's config.json to F
// Variables: IDP_BOOTSTRAP_FILE (required), API_PUBLIC_URL (for web-config), BOOTSTRAP_WAIT_MS.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

async function readBootstrap(file, waitMs) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        // The IdP writes atomically, but an older writer may not: retry until the deadline.
      }
    }
    if (Date.now() > deadline) throw new Error(`no IdP bootstrap file at ${file} after ${waitMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The API variables a local IdP implies; explicit environment values win. */
export function envFromBootstrap({ url, pool }) {
  const backend = Object.values(pool.clients).find((c) => c.clientSecret);
  return {
    COGNITO_REGION: pool.region,
    COGNITO_USER_POOL_ID: pool.poolId,
    COGNITO_ISSUER: pool.issuer,
    COGNITO_JWKS_URI: pool.jwksUri,
    COGNITO_CLIENT_IDS: Object.values(pool.clients)
      .map((c) => c.clientId)
      .join(','),
    COGNITO_ENDPOINT: url,
    ...(backend
      ? { COGNITO_AUTH_CLIENT_ID: backend.clientId, COGNITO_AUTH_CLIENT_SECRET: backend.clientSecret }
      : {}),
  };
}

/** config.json for the SPA: the public client (no secret) of the bootstrap pool. */
export function webConfigFromBootstrap({ url, pool }, apiUrl) {
  const web = pool.clients.web ?? Object.values(pool.clients).find((c) => !c.clientSecret);
  if (!web) throw new Error('the IdP bootstrap pool has no public client');
  return {
    userPoolId: pool.poolId,
    clientId: web.clientId,
    region: pool.region,
    cognitoEndpoint: url,
    apiUrl,
  };
}

async function main() {
  const [command, target] = process.argv.slice(2);
  const file = process.env.IDP_BOOTSTRAP_FILE;
  if (!file) throw new Error('IDP_BOOTSTRAP_FILE is not set');
  const bootstrap = await readBootstrap(file, Number(process.env.BOOTSTRAP_WAIT_MS ?? 60_000));
  if (command === 'web-config') {
    if (!target) throw new Error('usage: local-idp-env.mjs web-config <output file>');
    const config = webConfigFromBootstrap(bootstrap, process.env.API_PUBLIC_URL ?? 'http://127.0.0.1:8000');
    writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`);
    console.log(`wrote ${target}`);
    return;
  }
  const entries = { api: './main.mjs', seed: './seed.mjs' };
  const url =
    command === 'run'
      ? pathToFileURL(resolve(target ?? ''))
      : entries[command ?? 'api']
        ? new URL(entries[command ?? 'api'], import.meta.url)
        : undefined;
  if (!url || (command === 'run' && !target)) {
    throw new Error(`unknown command "${command}" (api, seed, run <file>, web-config <file>)`);
  }
  for (const [name, value] of Object.entries(envFromBootstrap(bootstrap))) {
    if (process.env[name] === undefined || process.env[name] === '') process.env[name] = value;
  }
  // main.mjs starts only when it is the process entry point, so present it as such.
  process.argv[1] = fileURLToPath(url);
  await import(url.href);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[local-idp-env] ${err.message}`);
    process.exit(1);
  });
}
