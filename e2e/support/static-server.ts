/**
 * A tiny static server for the built SPA: files from dist/, `/config.json` pointing at this
 * stack's IdP and API, and index.html for client-side routes. Loopback and port 0 only. Request
 * paths go through docker/static-request.mjs, so no request can stop it (ADR 0080).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import {
  allowReadOnly,
  fileInside,
  guardRequests,
  isFile,
  refuse,
  safeDecodePath,
  streamFile,
} from '../../docker/static-request.mjs';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface StaticSite {
  url: string;
  /** Replaces what /config.json answers (the API's URL is known only after the site listens). */
  setConfig(config: unknown): void;
  close(): Promise<void>;
}

export async function serveSite(folder: string): Promise<StaticSite> {
  const root = resolve(folder);
  let config = '{}';
  const server: Server = createServer(
    guardRequests((req, res) => {
      if (!allowReadOnly(req, res)) return;
      const decoded = safeDecodePath(req.url);
      if (!decoded.ok) return refuse(res, decoded.status, decoded.message);
      if (decoded.path === '/config.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(config);
        return;
      }
      const file = fileInside(root, decoded.path);
      const target = file !== undefined && isFile(file) ? file : join(root, 'index.html');
      res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' });
      if (req.method === 'HEAD') res.end();
      else streamFile(res, target);
    }),
  );
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolvePromise);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setConfig(c) {
      config = JSON.stringify(c);
    },
    close: () =>
      new Promise((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}
