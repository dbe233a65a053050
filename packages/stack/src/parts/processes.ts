/**
 * The parts as their own processes (`npm start`, ADR 0003): the IdP's CLI and the API's
 * api-process.ts, each tied to the start process (ADR 0080), their lines handed to `onLine`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PoolInfo } from '@app/idp';
import { describeExit, isRunning, type Part, startPart } from '../run/processes.ts';
import { waitForHttp } from '../run/wait.ts';
import { repoRoot } from '../web-build.ts';
import type { ApiEnv } from '../wiring/api-env.ts';
import type { ApiPartMessage, ApiPartReport } from './api-process.ts';

const isAlive = (p: Part) => () => isRunning(p.child);

export function spawnIdp(opts: {
  host: string;
  port: number;
  dataDir: string;
  corsOrigins: string[];
  /** The SPA's callback and sign-out URLs for the managed login (added to the web client). */
  appUrls?: { callbackUrls: string[]; logoutUrls: string[] };
  /** The pool's Lambda triggers (ADR 0121) and the environment they read. */
  functions?: string;
  /** Start the mock OIDC provider beside the IdP on this port (ADR 0162). */
  mockOidcPort?: number;
  env?: NodeJS.ProcessEnv;
  onLine: (line: string) => void;
}): { part: Part; ready: Promise<{ url: string; pool: PoolInfo }> } {
  const part = startPart(
    'idp',
    join(repoRoot, 'apps/idp/src/main.ts'),
    [
      ...['--port', String(opts.port), '--data-dir', opts.dataDir, '--host', opts.host],
      ...opts.corsOrigins.flatMap((origin) => ['--cors-origin', origin]),
      ...(opts.appUrls?.callbackUrls ?? []).flatMap((url) => ['--callback-url', url]),
      ...(opts.appUrls?.logoutUrls ?? []).flatMap((url) => ['--logout-url', url]),
      ...(opts.functions ? ['--functions', opts.functions] : []),
      ...(opts.mockOidcPort !== undefined ? ['--mock-oidc-port', String(opts.mockOidcPort)] : []),
    ],
    opts.env ?? {},
    opts.onLine,
  );
  const url = `http://${opts.host}:${opts.port}`;
  const ready = (async () => {
    await waitForHttp(`${url}/health`, { timeoutMs: 60_000, isAlive: isAlive(part) });
    // /health answers 200 only once the IdP has written this start's URL (and TLS URL) here.
    const bootstrap = JSON.parse(readFileSync(join(opts.dataDir, 'bootstrap.json'), 'utf8')) as {
      url: string;
      pool: PoolInfo;
    };
    return bootstrap;
  })();
  return { part, ready };
}

/**
 * The API's process: it opens the database and migrates at once (`migrated`), then `start()` hands
 * it the environment the wiring derived, and it answers with its URL once it listens.
 */
export function spawnApi(opts: { baseEnv: ApiEnv; onLine: (line: string) => void }): {
  part: Part;
  migrated: Promise<{ applied: string[]; kind: string }>;
  /** Hands the API its environment; resolves with its URL once it listens. */
  start(env: ApiEnv): Promise<string>;
  /** The demo account's items, on the API's own database handle. */
  seed(user: Extract<ApiPartMessage, { type: 'seed' }>['user']): Promise<number>;
} {
  const part = startPart(
    'api',
    join(repoRoot, 'packages/stack/src/parts/api-process.ts'),
    [],
    opts.baseEnv,
    opts.onLine,
  );
  const reports = new Map<string, (r: ApiPartReport) => void>();
  part.child.on('message', (r: ApiPartReport) => reports.get(r.type)?.(r));
  const what = { migrated: 'opened its database', listening: 'listened', seeded: 'seeded the demo data' };
  const next = <T extends ApiPartReport['type']>(type: T) =>
    new Promise<Extract<ApiPartReport, { type: T }>>((resolve, reject) => {
      reports.set(type, resolve as (r: ApiPartReport) => void);
      void part.exited.then((exit) =>
        reject(new Error(`the API exited before it ${what[type]} (${describeExit(exit)})`)),
      );
    });
  const migrated = next('migrated');
  migrated.catch(() => {}); // reported through `exited` by the supervisor when nobody waits
  return {
    part,
    migrated,
    async start(env) {
      const listening = next('listening');
      part.child.send({ type: 'start', env } satisfies ApiPartMessage);
      return (await listening).url;
    },
    async seed(user) {
      const seeded = next('seeded');
      part.child.send({ type: 'seed', user } satisfies ApiPartMessage);
      return (await seeded).added;
    },
  };
}
