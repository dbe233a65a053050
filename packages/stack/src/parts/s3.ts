/// <reference path="./s3rver.d.ts" />
/**
 * The attachments bucket on a local S3-compatible server (ADR 0170): s3rver from npm, in this
 * process (tests) or as its own process (npm start), with the bucket and its CORS rules made at
 * start. s3rver checks no SigV4 signature, so the API checks every upload itself.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Part } from '../run/processes.ts';
import { startPart } from '../run/processes.ts';
import { waitForHttp } from '../run/wait.ts';

export const LOCAL_BUCKET = 'attachments';

/** What the web origins may do, like the CDK bucket's CORS rules (infra/src/data/attachments-bucket.ts). */
export function corsXml(origins: string[]): string {
  const allowed = origins.map((o) => `<AllowedOrigin>${o}</AllowedOrigin>`).join('');
  return `<CORSConfiguration><CORSRule>${allowed}<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod><AllowedHeader>content-type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;
}

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  /** The API's settings for this bucket. */
  env: { ATTACHMENTS_BUCKET: string; S3_ENDPOINT: string };
  stop(): Promise<void>;
}

/** s3rver in this process on `host:port` (0: any free port), keeping its files in `dir`. */
export async function startLocalS3(opts: {
  host: string;
  port: number;
  dir: string;
  corsOrigins: string[];
  bucket?: string;
}): Promise<LocalS3> {
  mkdirSync(opts.dir, { recursive: true });
  const bucket = opts.bucket ?? LOCAL_BUCKET;
  // Imported here: the start process, which only spawns this file, never loads s3rver (ADR 0207).
  const { default: S3rver } = await import('s3rver');
  const server = new S3rver({
    address: opts.host,
    port: opts.port,
    silent: true,
    directory: opts.dir,
    configureBuckets: [
      { name: bucket, configs: opts.corsOrigins.length > 0 ? [corsXml(opts.corsOrigins)] : [] },
    ],
  });
  const { port } = await server.run();
  const endpoint = `http://${opts.host}:${port}`;
  return {
    endpoint,
    bucket,
    env: { ATTACHMENTS_BUCKET: bucket, S3_ENDPOINT: endpoint },
    stop: () => server.close(),
  };
}

/** npm start: the same server as its own process (this file is its entry). */
export function spawnLocalS3(opts: {
  host: string;
  port: number;
  dir: string;
  corsOrigins: string[];
  onLine: (line: string) => void;
}): { part: Part; endpoint: string; env: LocalS3['env']; ready: Promise<void> } {
  const endpoint = `http://${opts.host}:${opts.port}`;
  const part = startPart(
    's3',
    fileURLToPath(import.meta.url),
    [opts.host, String(opts.port), opts.dir, ...opts.corsOrigins],
    {},
    opts.onLine,
  );
  const ready = waitForHttp(endpoint, {
    timeoutMs: 30_000,
    isAlive: () => part.child.exitCode === null,
    anyStatus: true,
  });
  return { part, endpoint, env: { ATTACHMENTS_BUCKET: LOCAL_BUCKET, S3_ENDPOINT: endpoint }, ready };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [host = '127.0.0.1', port = '4568', dir = '.data/s3', ...corsOrigins] = process.argv.slice(2);
  const s3 = await startLocalS3({ host, port: Number(port), dir, corsOrigins });
  console.log(`bucket ${s3.bucket} on ${s3.endpoint} (files in ${dir})`);
}
