/**
 * A tiny static server for the built SPA: files from dist/, `/config.json` pointing at this
 * stack's IdP and API, and index.html for client-side routes. Loopback and port 0 only.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

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

export async function serveSite(root: string): Promise<StaticSite> {
  let config = '{}';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(config);
      return;
    }
    const file = normalize(join(root, path));
    const target =
      file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile()
        ? file
        : join(root, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setConfig(c) {
      config = JSON.stringify(c);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
