/**
 * ITEMS_STORE=dynamodb without DYNAMODB_ENDPOINT (ADR 0092): a local dynalite, from npm, keeping its
 * data in DATA_DIR/dynamodb, as its own process; the API creates the table on its first start.
 */
import { join } from 'node:path';
import type { Part } from '../run/processes.ts';
import { startPart } from '../run/processes.ts';
import { waitForHttp } from '../run/wait.ts';
import { repoRoot } from '../web-build.ts';

export function startDynalite(opts: {
  host: string;
  port: number;
  dataDir: string;
  onLine: (line: string) => void;
}): { part: Part; endpoint: string; ready: Promise<void> } {
  const endpoint = `http://${opts.host}:${opts.port}`;
  const part = startPart(
    'dynamodb',
    join(repoRoot, 'node_modules', 'dynalite', 'cli.js'),
    ['--host', opts.host, '--port', String(opts.port), '--path', opts.dataDir, '--createTableMs', '0'],
    {},
    opts.onLine,
  );
  // Any HTTP answer (dynalite says 400 to a bare GET) means it is up.
  const ready = waitForHttp(endpoint, {
    timeoutMs: 30_000,
    isAlive: () => part.child.exitCode === null,
    anyStatus: true,
  });
  return { part, endpoint, ready };
}
