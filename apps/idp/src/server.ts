import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Ctx } from './context.ts';
import { withRequestInfo } from './events/request-context.ts';
import { homePage } from './home-page.ts';
import { readMailbox } from './mail/mailbox.ts';
import { mailboxPage } from './mail/page.ts';
import { sendDiscovery } from './oauth/discovery.ts';
import { oauthRoutes } from './oauth/routes.ts';
import { operations } from './operations/index.ts';
import { CognitoError, internalError, unknownOperation } from './protocol/errors.ts';
import { browserOperations, type Exposure, hostAllowed, isSigV4 } from './protocol/exposure.ts';
import { isCognitoError, readJsonBody, sendError, sendJson, targetPrefix } from './protocol/json11.ts';
import { triggersPage } from './triggers/page.ts';

/**
 * One HTTP endpoint. To add one (e.g. /oauth2/token, /login), append it to `routes` below and say who
 * may call it from a web page (ADR 0076):
 * - 'browser': pages at the configured dev origins (`--cors-origin`) may fetch it cross-origin — only
 *   for what Cognito itself serves to browsers (its public API operations, token and userInfo
 *   endpoints, the JWKS and discovery documents);
 * - 'operation': POST / decides per Cognito operation (`browserOperations`);
 * - 'none': never cross-origin — pages a browser navigates to (/login, /oauth2/authorize) and every
 *   dev tool (the mailbox).
 * The Host check and the URL check run before any route, so handlers need not repeat them.
 */
export interface Route {
  method: 'GET' | 'POST';
  /** An exact path, or a pattern whose capture groups become `params` (still percent-encoded). */
  path: string | RegExp;
  cors: 'browser' | 'operation' | 'none';
  handle(call: RouteCall): Promise<void> | void;
}

export interface RouteCall {
  ctx: Ctx;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
  /** Adds the CORS headers if the request comes from a configured origin (routes with cors 'operation'). */
  allowBrowser(): void;
}

const routes: Route[] = [
  { method: 'POST', path: '/', cors: 'operation', handle: dispatch },
  {
    method: 'GET',
    path: '/health',
    cors: 'none',
    // 200 only once bootstrap.json names this start's URL (it is written after listening).
    handle: ({ ctx, res }) =>
      ctx.ready ? sendPlainJson(res, 200, { status: 'ok' }) : sendPlainJson(res, 503, { status: 'starting' }),
  },
  { method: 'GET', path: '/', cors: 'none', handle: serveHome },
  { method: 'GET', path: '/_dev/mailbox', cors: 'none', handle: serveMailbox },
  { method: 'GET', path: '/_dev/triggers', cors: 'none', handle: serveTriggers },
  {
    method: 'GET',
    path: /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/,
    cors: 'browser',
    handle: serveWellKnown,
  },
  ...oauthRoutes,
];

const corsAllowHeaders =
  'content-type, x-amz-target, x-amz-user-agent, x-amz-date, x-amz-security-token, x-amz-content-sha256, authorization, amz-sdk-invocation-id, amz-sdk-request, cache-control';
const corsExposeHeaders = 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date';

/** The operation each response answered, for the request log (kept off the wire). */
const opOf = new WeakMap<ServerResponse, string>();

/** The IdP's HTTP server, or with `tls` the same routes over HTTPS (the optional second listener). */
export function createIdpServer(
  ctx: Ctx,
  exposure: Exposure,
  tls?: { key: string; cert: string },
): Server | HttpsServer {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    // Who asked, for auth events and devices (events/request-context.ts), on every route.
    withRequestInfo({ ipAddress: req.socket.remoteAddress, userAgent: req.headers['user-agent'] }, () =>
      handle(ctx, exposure, req, res),
    )
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
  };
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  // Above any load balancer's idle timeout, so kept-alive connections are closed by the client side first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

async function handle(ctx: Ctx, exposure: Exposure, req: IncomingMessage, res: ServerResponse) {
  const url = parseTarget(req.url ?? '');
  if (!url)
    return sendPlainJson(res, 400, { message: 'The request URL is malformed (bad percent-encoding).' });
  // DNS rebinding: a page on attacker.example resolving to 127.0.0.1 still sends its own Host.
  if (!hostAllowed(exposure, req.headers.host))
    return sendPlainJson(res, 403, {
      message:
        'This Host is not allowed: the local IdP answers loopback names only (localhost, *.localhost, 127.0.0.0/8, [::1]); add others with --allowed-host.',
    });
  const origin = req.headers.origin;
  const fromAllowedOrigin = origin !== undefined && exposure.corsOrigins.has(origin);
  const method = req.method === 'HEAD' ? 'GET' : req.method;

  if (method === 'OPTIONS') {
    const wanted = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
    const found = findRoute(wanted === 'GET' || wanted === 'HEAD' ? 'GET' : 'POST', url.pathname);
    if (!origin) {
      res.writeHead(204, { Allow: 'GET, HEAD, POST, OPTIONS' });
      return res.end();
    }
    if (!found || found.route.cors === 'none' || !fromAllowedOrigin)
      return sendPlainJson(res, 403, {
        message:
          'CORS: this origin may not call this endpoint of the local IdP (allowed origins are set with --cors-origin; admin operations and dev pages are never open to web pages).',
      });
    res.writeHead(204, {
      ...corsHeaders(origin),
      'Access-Control-Allow-Methods': 'GET, HEAD, POST',
      'Access-Control-Allow-Headers': corsAllowHeaders,
      'Access-Control-Max-Age': '600',
    });
    return res.end();
  }

  const found = method === 'GET' || method === 'POST' ? findRoute(method, url.pathname) : undefined;
  if (!found) return sendPlainJson(res, 404, { message: `Not found: ${method} ${url.pathname}` });
  const { route, params } = found;
  const allowBrowser = () => {
    if (fromAllowedOrigin) for (const [k, v] of Object.entries(corsHeaders(origin))) res.setHeader(k, v);
  };
  if (route.cors === 'browser') allowBrowser();
  if (route.cors === 'none') {
    // Dev pages are for the developer's own tab: never framed, never read by another origin.
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  }
  await route.handle({ ctx, req, res, url, params, allowBrowser });
}

function findRoute(method: string, pathname: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (typeof route.path === 'string') {
      if (route.path === pathname) return { route, params: [] };
      continue;
    }
    const m = route.path.exec(pathname);
    if (m) return { route, params: m.slice(1) };
  }
  return undefined;
}

/**
 * The request target as a URL, or undefined when it is not origin-form or any part of its path or
 * query does not percent-decode (`/%E0%A4%A`): such a request is answered 400, never routed.
 */
function parseTarget(target: string): URL | undefined {
  if (!target.startsWith('/')) return undefined;
  const [path = '', query = ''] = target.split(/\?(.*)/s);
  try {
    decodeURIComponent(path);
    for (const part of query.split(/[&=]/)) decodeURIComponent(part.replace(/\+/g, ' '));
    // Concatenated, not resolved: `//host/x` stays a path instead of becoming an authority.
    return new URL(`http://local${target}`);
  } catch {
    return undefined;
  }
}

const corsHeaders = (origin: string | undefined): Record<string, string> => ({
  'Access-Control-Allow-Origin': origin ?? '',
  'Access-Control-Expose-Headers': corsExposeHeaders,
  Vary: 'Origin',
});

/** Cognito's error for an IAM-authorised operation sent without a signature (AWS common errors). */
const missingAuthentication = () =>
  new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
const notForBrowsers = (op: string) =>
  new CognitoError(
    'AccessDeniedException',
    `${op} needs AWS credentials: the local IdP does not run it for a web page (the request has an Origin header).`,
    403,
  );

async function dispatch({ ctx, req, res, allowBrowser }: RouteCall) {
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : target;
  opOf.set(res, op || '-');
  const isBrowserOp = browserOperations.has(op);
  if (isBrowserOp) allowBrowser();
  try {
    const handler = Object.hasOwn(operations, op) ? operations[op] : undefined;
    if (!target.startsWith(targetPrefix) || !handler) throw unknownOperation(op);
    if (!isBrowserOp) {
      // Server-side tools never send Origin; browsers always do on a cross-origin POST.
      if (req.headers.origin !== undefined) throw notForBrowsers(op);
      if (!isSigV4(req.headers.authorization)) throw missingAuthentication();
    }
    const input = await readJsonBody(req);
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

function serveWellKnown({ ctx, res, params }: RouteCall) {
  const [poolId = '', doc] = params;
  if (!Object.hasOwn(ctx.store.state.pools, poolId))
    return sendPlainJson(res, 404, { message: `User pool ${poolId} does not exist.` });
  if (doc === 'jwks.json')
    return sendPlainJson(res, 200, { keys: [ctx.keys.id.jwk, ctx.keys.access.jwk] }, 'max-age=300');
  sendDiscovery(ctx, res, poolId);
}

/** A page saying what this server is, instead of a bare 404 (the dev mailbox, each pool's discovery). */
function serveHome({ ctx, res }: RouteCall) {
  const html = homePage(ctx.baseUrl, Object.keys(ctx.store.state.pools));
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

function serveMailbox({ ctx, req, res, url }: RouteCall) {
  const to = url.searchParams.get('to') ?? undefined;
  const messages = readMailbox(ctx, to);
  const wantsHtml =
    url.searchParams.get('format') !== 'json' && /text\/html/.test(String(req.headers.accept ?? ''));
  if (!wantsHtml) return sendPlainJson(res, 200, { messages }, 'no-store');
  const html = mailboxPage(messages, to, url.searchParams.get('back') ?? undefined);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

/** Every trigger invocation with its event, response and duration (local only, like the mailbox). */
function serveTriggers({ ctx, req, res, url }: RouteCall) {
  const filter = {
    trigger: url.searchParams.get('trigger') || undefined,
    user: url.searchParams.get('user') || undefined,
  };
  const invocations = ctx.triggers.log.list(filter);
  const wantsHtml =
    url.searchParams.get('format') !== 'json' && /text\/html/.test(String(req.headers.accept ?? ''));
  if (!wantsHtml) return sendPlainJson(res, 200, { invocations }, 'no-store');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(triggersPage(invocations, filter));
}
