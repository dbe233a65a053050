import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ctx } from '../context.ts';
import { accountPages } from '../login/account.ts';
import { pageContext } from '../login/flow.ts';
import { getLogin, postLogin } from '../login/login.ts';
import { handleErrorPage, handleLogout } from '../login/logout.ts';
import { handleAuthorize } from './authorize.ts';
import { handleRevoke } from './revoke.ts';
import { handleToken } from './token.ts';
import { handleUserInfo } from './userinfo.ts';

type Page = {
  get(p: NonNullable<ReturnType<typeof pageContext>>): unknown;
  post(p: NonNullable<ReturnType<typeof pageContext>>): unknown;
};
const pages: Record<string, Page> = { '/login': { get: getLogin, post: postLogin }, ...accountPages };

/**
 * The OAuth 2.0 / OIDC endpoints and the managed-login pages (ADR 0081). Returns false for paths that
 * are not theirs, so the server's own routes answer those.
 */
export async function oauthRoutes(
  ctx: Ctx,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const { pathname } = url;
  const method = req.method ?? 'GET';
  const get = method === 'GET' || method === 'HEAD';
  if (pathname === '/oauth2/authorize' && get) await handleAuthorize(ctx, req, res, url);
  else if (pathname === '/oauth2/token' && method === 'POST') await handleToken(ctx, req, res);
  else if (pathname === '/oauth2/userInfo' && (get || method === 'POST')) await handleUserInfo(ctx, req, res);
  else if (pathname === '/oauth2/revoke' && method === 'POST') await handleRevoke(ctx, req, res);
  else if (pathname === '/logout' && get) handleLogout(ctx, req, res, url);
  else if (pathname === '/error' && get) handleErrorPage(res, url);
  else if (Object.hasOwn(pages, pathname) && (get || method === 'POST')) {
    const p = pageContext(ctx, req, res, url);
    if (p) await (get ? pages[pathname]!.get(p) : pages[pathname]!.post(p));
  } else return false;
  return true;
}
