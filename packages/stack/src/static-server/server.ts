/**
 * The SPA's one static server, used by `npm start`, the browser tests and the web image (bundled by
 * docker/bundle.ts): files from the build, `/config.json` from the wiring, index.html for
 * client-side routes, a 404 for a missing asset, and the production security headers (CSP included)
 * on every answer. Production serves the same files from S3 + CloudFront with the same headers.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { RuntimeConfig } from '@app/web/config';
import { spaSecurityHeaders } from '../wiring/security-headers.ts';
import {
  allowReadOnly,
  fileInside,
  guardRequests,
  isFile,
  refuse,
  safeDecodePath,
  streamFile,
} from './request.ts';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Where `/config.json` comes from: a value the wiring sets (or will set), or a file (the web image). */
export type ConfigSource = { get(): RuntimeConfig | undefined };

/** A config.json file written by someone else (compose's web-config step); read on every request. */
export function configFile(file: string | undefined): ConfigSource {
  return {
    get() {
      if (!file) return undefined;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
      return JSON.parse(text) as RuntimeConfig; // malformed: the request gets a 500, the SPA no guess
    },
  };
}

export function createSpaServer(opts: { root: string; config: ConfigSource }): Server {
  const base = resolve(opts.root);
  const index = join(base, 'index.html');
  if (!isFile(index)) throw new Error(`no index.html in ${base}: build the web app first`);
  // One CSP per config; recomputed only when the config object changes.
  let cached: { config: RuntimeConfig | undefined; headers: Record<string, string> } | undefined;
  const headersFor = (config: RuntimeConfig | undefined) => {
    if (cached?.config !== config || !cached)
      cached = { config, headers: spaSecurityHeaders(config ?? { region: 'us-east-1', apiUrl: '' }) };
    return cached.headers;
  };
  return createServer(
    guardRequests((req, res) => {
      if (!allowReadOnly(req, res)) return;
      const decoded = safeDecodePath(req.url);
      if (!decoded.ok) return refuse(res, decoded.status, decoded.message);
      const { path } = decoded;
      if (path === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
        return;
      }
      const config = opts.config.get();
      const headers = headersFor(config);
      if (path === '/config.json') {
        if (!config) return refuse(res, 404, 'no runtime configuration', headers);
        res.writeHead(200, { ...headers, 'content-type': types['.json']!, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(config));
        return;
      }
      let file = fileInside(base, path);
      if (file === undefined) return refuse(res, 404, 'not found', headers);
      if (!isFile(file)) {
        // A client-side route (no extension) gets index.html; a missing asset stays a 404.
        if (extname(path) !== '') return refuse(res, 404, 'not found', headers);
        file = index;
      }
      const hashed = file.includes(`${sep}assets${sep}`);
      res.writeHead(200, {
        ...headers,
        'content-type': types[extname(file)] ?? 'application/octet-stream',
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') res.end();
      else streamFile(res, file);
    }),
  );
}

export interface RunningSpa {
  server: Server;
  url: string;
  /** Sets what /config.json answers (the API's URL is known only after the site listens). */
  setConfig(config: RuntimeConfig): void;
  close(): Promise<void>;
}

/** Serves the SPA on host:port (0 = any free port) with a config the caller sets when it knows it. */
export async function serveSpa(opts: {
  root: string;
  host: string;
  port: number;
  config?: RuntimeConfig;
}): Promise<RunningSpa> {
  let config = opts.config;
  const server = createSpaServer({ root: opts.root, config: { get: () => config } });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${opts.host}:${port}`,
    setConfig(c) {
      config = c;
    },
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections(); // a browser's kept-alive connections would hold close() open
      }),
  };
}
