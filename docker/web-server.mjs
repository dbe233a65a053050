// Static server for the SPA image: serves the Vite build, falls back to index.html for client-side
// routes, sets the same security headers CloudFront adds on AWS, and serves /config.json from
// WEB_CONFIG_FILE (compose writes it from the local IdP's ids) so one build runs anywhere.
// Plain node:http, no dependencies: the image holds this file, static-request.mjs and the static
// build, nothing else. Request paths go through static-request.mjs, so no request can stop it.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import {
  allowReadOnly,
  fileInside,
  guardRequests,
  isFile,
  refuse,
  safeDecodePath,
  streamFile,
} from './static-request.mjs';

const types = {
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

/** Same policy as infra/src/edge/web-hosting.ts, plus the local IdP/API origins from config.json. */
function securityHeaders(connectSrc) {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'content-security-policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      `connect-src 'self' ${connectSrc}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
  };
}

function readRuntimeConfig(file) {
  if (!file || !existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  JSON.parse(text); // a malformed file is an error the SPA should not have to guess about
  return text;
}

export function createWebServer({ root, configFile }) {
  const base = resolve(root);
  const index = join(base, 'index.html');
  if (!existsSync(index)) throw new Error(`no index.html in ${base}: build the web app first`);
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
      let config;
      try {
        config = readRuntimeConfig(configFile);
      } catch {
        refuse(res, 500, 'config.json is not valid JSON');
        return;
      }
      const origins = config
        ? Object.values(JSON.parse(config)).filter((v) => /^https?:\/\//.test(String(v)))
        : [];
      const headers = securityHeaders(origins.map((o) => new URL(String(o)).origin).join(' '));
      if (path === '/config.json' && config !== undefined) {
        res.writeHead(200, { ...headers, 'content-type': types['.json'], 'cache-control': 'no-cache' });
        res.end(req.method === 'HEAD' ? undefined : config);
        return;
      }
      // Resolve inside the build folder only; anything escaping it is a 404.
      let file = fileInside(base, path);
      if (file === undefined) {
        res.writeHead(404, headers).end();
        return;
      }
      if (!isFile(file)) {
        // Client-side route (no extension) -> index.html; a missing asset stays a 404.
        if (extname(path) !== '') {
          res.writeHead(404, headers).end();
          return;
        }
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '0.0.0.0';
  const server = createWebServer({
    root: process.env.WEB_ROOT ?? new URL('./public', import.meta.url).pathname,
    configFile: process.env.WEB_CONFIG_FILE,
  });
  // Logs the bound port: with PORT=0 (tests) the system picks it.
  server.listen(port, host, () =>
    console.log(JSON.stringify({ msg: 'web listening', host, port: server.address().port })),
  );
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
}
