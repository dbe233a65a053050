/**
 * `npm run idp -- --port <port> --data-dir <dir>`: the local IdP as a process. Prints its URL, answers
 * GET /health, and stops cleanly (finishing pending writes) on SIGTERM or Ctrl-C.
 */
import { CliError, parseCli, usage } from './cli.ts';
import { startIdp } from './idp.ts';
import { ExposureError, isLoopbackName } from './protocol/exposure.ts';

async function main() {
  const opts = parseCli(process.argv.slice(2), process.env);
  if (opts === 'help') {
    console.log(usage);
    return;
  }
  const idp = await startIdp({
    dataDir: opts.dataDir,
    port: opts.port,
    host: opts.host,
    allowRemote: opts.allowRemote,
    corsOrigins: opts.corsOrigins,
    allowedHosts: opts.allowedHosts,
    appUrls: opts.appUrls,
    region: opts.region,
    users: opts.users,
    ...(opts.definition ? { definition: opts.definition } : {}),
    ...(opts.functions ? { functions: opts.functions } : {}),
    ...(opts.tls ? { tls: opts.tls } : {}),
    ...(opts.mockOidc ? { mockOidc: opts.mockOidc } : {}),
    log: opts.quiet
      ? undefined
      : (entry) => console.log(JSON.stringify({ time: new Date().toISOString(), ...entry })),
  });
  console.log(`[idp] listening on ${idp.url}`);
  if (idp.tls)
    console.log(
      `[idp] also on ${idp.tls.url} (Amplify oauth.domain "${idp.tls.domain}"; certificate ${idp.tls.certFile ?? 'given'}, SPKI sha256 ${idp.tls.spkiSha256})`,
    );
  if (!isLoopbackName(opts.host))
    console.warn(
      `[idp] warning: listening on ${opts.host} (--allow-remote); admin operations are not authenticated — dev use only`,
    );
  console.log(
    `[idp] web pages may call the public operations from: ${opts.corsOrigins.join(', ') || 'no origin (--cors-origin)'}`,
  );
  console.log(`[idp] pool ${idp.pool.poolId}  issuer ${idp.pool.issuer}`);
  for (const [key, c] of Object.entries(idp.pool.clients)) console.log(`[idp] client ${key}: ${c.clientId}`);
  console.log(`[idp] data in ${opts.dataDir} (bootstrap.json holds the ids and the backend secret)`);
  console.log(`[idp] dev mailbox ${idp.url}/_dev/mailbox`);
  if (idp.pool.federation?.mockIssuer)
    console.log(
      `[idp] mock OIDC provider ${idp.pool.federation.mockIssuer} offered as ${idp.pool.federation.providers.join(', ')}`,
    );
  console.log(
    `[idp] trigger invocations ${idp.url}/_dev/triggers (${opts.functions?.size ?? 0} functions mapped)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[idp] ${signal}: stopping`);
    await idp.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof CliError || err instanceof ExposureError) console.error(`[idp] ${err.message}`);
  else console.error('[idp] failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
