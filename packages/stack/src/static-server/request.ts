/**
 * Request handling of the SPA's static server: decode a request path without ever throwing, keep it
 * inside the served folder, and make sure no request can take the process down (ADR 0080).
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';

/** Longer request targets are refused (414) before any decoding or file system work. */
export const MAX_TARGET_LENGTH = 2048;

export type DecodedPath = { ok: true; path: string } | { ok: false; status: 400 | 414; message: string };

/**
 * The decoded path of a request target, or why it is refused. Refused: malformed percent-encoding,
 * a NUL byte or a backslash, and `.`/`..` segments that only appear after decoding (`..%2F`): no
 * file of the build has such a name, and they are the usual ways out of a folder.
 */
export function safeDecodePath(target: string | undefined): DecodedPath {
  const raw = target ?? '/';
  if (raw.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, message: 'request target too long' };
  let pathname: string;
  try {
    pathname = new URL(raw, 'http://localhost').pathname;
  } catch {
    return { ok: false, status: 400, message: 'bad request target' };
  }
  let path: string;
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

/** The file a decoded path names inside `root`, or undefined when it would leave it. */
export function fileInside(root: string, path: string): string | undefined {
  const base = resolve(root);
  const file = resolve(base, `.${path}`);
  return file === base || file.startsWith(base + sep) ? file : undefined;
}

/** Whether `file` is a regular file; any error (missing, name too long, not a folder) counts as no. */
export function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Answers with a short plain-text reason that never repeats the request. */
export function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(`${message}\n`);
}

/** GET and HEAD only; anything else gets 405 with `Allow`. Returns whether the method may go on. */
export function allowReadOnly(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  refuse(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
  return false;
}

/** Streams a file; a read error ends that one response instead of becoming an unhandled 'error'. */
export function streamFile(res: ServerResponse, file: string): void {
  pipeline(createReadStream(file), res, (err) => {
    if (err && !res.destroyed) res.destroy();
  });
}

/**
 * Whatever the handler throws (or rejects with) becomes a 500 for that request, never an uncaught
 * exception. Only the error's message is logged: request targets can carry secrets.
 */
export function guardRequests(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fail = (err: unknown) => {
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
