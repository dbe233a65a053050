import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Ctx } from './context.ts';
import { readMailbox } from './mail/mailbox.ts';
import { mailboxPage } from './mail/page.ts';
import { sendDiscovery } from './oauth/discovery.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { operations } from './operations/index.ts';
import { internalError, unknownOperation } from './protocol/errors.ts';
import { isCognitoError, readJsonBody, sendError, sendJson, targetPrefix } from './protocol/json11.ts';

/** Cognito answers browsers (amazon-cognito-identity-js in the SPA) from any origin. */
const cors = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
  'Access-Control-Max-Age': '600',
};

/** The operation each response answered, for the request log (kept off the wire). */
const opOf = new WeakMap<ServerResponse, string>();

export function createIdpServer(ctx: Ctx): Server {
  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
    route(ctx, req, res)
      .catch((err) => {
        ctx.log({
          level: 'error',
          requestId,
          msg: 'unhandled error',
          error: String((err as Error)?.stack ?? err),
        });
        if (!res.headersSent) sendError(res, internalError());
      })
      .finally(() => {
        ctx.log({
          level: 'info',
          requestId,
          method: req.method,
          // The path only: query strings may carry an e-mail address, never a secret, but keep logs lean.
          path: (req.url ?? '/').split('?')[0],
          op: opOf.get(res),
          status: res.statusCode,
          errorType: res.getHeader('x-amzn-ErrorType'),
          ms: Math.round(performance.now() - started),
        });
      });
  });
  // Above any load balancer's idle timeout, so kept-alive connections are closed by the client side first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

async function route(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://local');
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    res.end();
    return;
  }
  if (req.method === 'POST' && url.pathname === '/') return dispatch(ctx, req, res);
  if (await oauthRoutes(ctx, req, res, url)) return;
  if (req.method === 'GET' || req.method === 'HEAD') {
    if (url.pathname === '/health') return sendPlainJson(res, 200, { status: 'ok' });
    if (url.pathname === '/_dev/mailbox') return serveMailbox(ctx, req, res, url);
    const wellKnown = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/.exec(url.pathname);
    if (wellKnown) return serveWellKnown(ctx, res, wellKnown[1]!, wellKnown[2]!);
  }
  sendPlainJson(res, 404, { message: `Not found: ${req.method} ${url.pathname}` });
}

async function dispatch(ctx: Ctx, req: IncomingMessage, res: ServerResponse) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : target;
  opOf.set(res, op || '-');
  try {
    const input = await readJsonBody(req);
    const handler = Object.hasOwn(operations, op) ? operations[op] : undefined;
    if (!target.startsWith(targetPrefix) || !handler) throw unknownOperation(op);
    const output = await handler(ctx, input);
    stampDate(ctx, res);
    sendJson(res, 200, output);
  } catch (err) {
    stampDate(ctx, res);
    if (isCognitoError(err)) return sendError(res, err);
    throw err;
  }
}

/**
 * `Date` from the IdP's own clock, taken after the operation ran (Node's cached header can lag a
 * second boundary): the API reads its sign-out cut-offs from it and compares them with the `iat`
 * of tokens this clock stamped (API ADR 0070).
 */
function stampDate(ctx: Ctx, res: ServerResponse) {
  if (!res.headersSent) res.setHeader('Date', new Date(ctx.clock()).toUTCString());
}

function sendPlainJson(res: ServerResponse, status: number, body: unknown, cache?: string) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...(cache ? { 'Cache-Control': cache } : {}),
  });
  res.end(text);
}

function serveWellKnown(ctx: Ctx, res: ServerResponse, poolId: string, doc: string) {
  if (!ctx.store.state.pools[poolId])
    return sendPlainJson(res, 404, { message: `User pool ${poolId} does not exist.` });
  if (doc === 'jwks.json')
    return sendPlainJson(res, 200, { keys: [ctx.keys.id.jwk, ctx.keys.access.jwk] }, 'max-age=300');
  sendDiscovery(ctx, res, poolId);
}

function serveMailbox(ctx: Ctx, req: IncomingMessage, res: ServerResponse, url: URL) {
  const to = url.searchParams.get('to') ?? undefined;
  const messages = readMailbox(ctx, to);
  const wantsHtml =
    url.searchParams.get('format') !== 'json' && /text\/html/.test(String(req.headers.accept ?? ''));
  if (!wantsHtml) return sendPlainJson(res, 200, { messages }, 'no-store');
  const html = mailboxPage(messages, to);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}
