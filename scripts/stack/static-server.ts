/**
 * Serves the built SPA for the local stack: files from dist/, `/config.json` from the running
 * parts (so the one build points wherever it is told), and index.html for client-side routes.
 * Loopback only; production serves the same files from S3 + CloudFront. Request paths go through
 * docker/static-request.mjs, so no request can stop it (ADR 0080).
 */
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
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
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function serveSpa(opts: {
  root: string;
  config: unknown;
  host: string;
  port: number;
}): Promise<Server> {
  const root = resolve(opts.root);
  const configBody = JSON.stringify(opts.config);
  const server = createServer(
    guardRequests((req, res) => {
      if (!allowReadOnly(req, res)) return;
      const decoded = safeDecodePath(req.url);
      if (!decoded.ok) return refuse(res, decoded.status, decoded.message);
      const { path } = decoded;
      if (path === '/config.json') {
        res
          .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
          .end(configBody);
        return;
      }
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const file = fileInside(root, path);
      const target = file !== undefined && isFile(file) ? file : join(root, 'index.html');
      const immutable = target.includes(`${sep}assets${sep}`);
      res.writeHead(200, {
        'content-type': types[extname(target)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') res.end();
      else streamFile(res, target);
    }),
  );
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}
