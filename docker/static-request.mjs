// Request handling shared by the three static servers of the SPA (docker/web-server.mjs,
// scripts/stack/static-server.ts, e2e/support/static-server.ts): decode a request path without ever
// throwing, keep it inside the served folder, and make sure no request can take the process down.
// Plain dependency-free ESM because the web image runs it as-is beside web-server.mjs (ADR 0080).
import { createReadStream, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';

/** Longer request targets are refused (414) before any decoding or file system work. */
export const MAX_TARGET_LENGTH = 2048;

/**
 * The decoded path of a request target, or why it is refused. Refused: malformed percent-encoding,
 * a NUL byte or a backslash, and `.`/`..` segments that only appear after decoding (`..%2F`): no
 * file of the build has such a name, and they are the usual ways out of a folder.
 * @param {string | undefined} target `req.url`
 * @returns {{ ok: true, path: string } | { ok: false, status: 400 | 414, message: string }}
 */
export function safeDecodePath(target) {
  const raw = target ?? '/';
  if (raw.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, message: 'request target too long' };
  let pathname;
  try {
    pathname = new URL(raw, 'http://localhost').pathname;
  } catch {
    return { ok: false, status: 400, message: 'bad request target' };
  }
  let path;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400, message: 'malformed percent-encoding in the path' };
  }
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 400, message: 'bad path' };
  if (path.split('/').some((s) => s === '.' || s === '..'))
    return { ok: false, status: 400, message: 'bad path' };
  return { ok: true, path };
}

/**
 * The file a decoded path names inside `root` (absolute), or undefined when it would leave it.
 * @param {string} root
 * @param {string} path
 * @returns {string | undefined}
 */
export function fileInside(root, path) {
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  return file === base || file.startsWith(base + sep) ? file : undefined;
}

/**
 * Whether `file` is a regular file; any error (missing, name too long, not a folder) counts as no.
 * @param {string} file
 */
export function isFile(file) {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Answers with a short plain-text reason that never repeats the request.
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
export function refuse(res, status, message, headers = {}) {
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(`${message}\n`);
}

/**
 * GET and HEAD only; anything else gets 405 with `Allow`. Returns whether the method may go on.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function allowReadOnly(req, res) {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  refuse(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  return false;
}

/**
 * Streams a file into the response; a read error (file gone, unreadable) ends that one response
 * instead of surfacing as an unhandled 'error' event that would end the process.
 * @param {import('node:http').ServerResponse} res
 * @param {string} file
 */
export function streamFile(res, file) {
  pipeline(createReadStream(file), res, (err) => {
    if (err && !res.destroyed) res.destroy();
  });
}

/**
 * Wraps a request handler so that whatever it throws (or rejects with) becomes a 500 for that request,
 * never an uncaught exception. Only the error's message is logged: request targets can carry secrets.
 * @template {import('node:http').IncomingMessage} Req
 * @template {import('node:http').ServerResponse} Res
 * @param {(req: Req, res: Res) => unknown} handler
 * @returns {(req: Req, res: Res) => void}
 */
export function guardRequests(handler) {
  return (req, res) => {
    const fail = (/** @type {unknown} */ err) => {
      console.error(`static server: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) refuse(res, 500, 'internal error');
      else res.destroy();
    };
    try {
      const result = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (err) {
      fail(err);
    }
  };
}
