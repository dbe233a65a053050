import type { IncomingMessage, ServerResponse } from 'node:http';

const maxForm = 64 * 1024;

/** An OAuth error answer (RFC 6749 §5.2): JSON `{error, error_description?}`, never cached. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description?: string,
    readonly status = 400,
  ) {
    super(description ?? error);
    this.name = 'OAuthError';
  }
}

/** An application/x-www-form-urlencoded body (token, revoke, and the managed-login forms). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxForm) throw new OAuthError('invalid_request', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  if (!type.startsWith('application/x-www-form-urlencoded'))
    throw new OAuthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded.');
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...headers,
  });
  res.end(text);
}

export function sendOAuthError(res: ServerResponse, err: OAuthError, headers: Record<string, string> = {}) {
  sendJson(
    res,
    err.status,
    err.description ? { error: err.error, error_description: err.description } : { error: err.error },
    headers,
  );
}

export function redirect(
  res: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
) {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', ...headers });
  res.end();
}

/** Adds parameters to a redirect URI's query (or fragment), keeping the ones it already has. */
export function withParams(uri: string, params: Record<string, string | undefined>, fragment = false) {
  const u = new URL(uri);
  const target = fragment ? new URLSearchParams() : u.searchParams;
  for (const [k, v] of Object.entries(params)) if (v !== undefined) target.set(k, v);
  if (fragment) u.hash = target.toString();
  return u.toString();
}

/** client_secret_basic: `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
export function basicCredentials(req: IncomingMessage): { id: string; secret: string } | undefined {
  const header = String(req.headers.authorization ?? '');
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const un = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: un(decoded.slice(0, colon)), secret: un(decoded.slice(colon + 1)) };
}
