import { idpResponsePath } from '../federation/relying-party.ts';
import { handleIdpResponse } from '../federation/sign-in.ts';
import { accountPages } from '../login/account.ts';
import { type PageContext, pageContext } from '../login/flow.ts';
import { getLogin, postLogin } from '../login/login.ts';
import { handleErrorPage, handleLogout } from '../login/logout.ts';
import { handleAddPasskey } from '../login/passkey-add.ts';
import type { Route } from '../server.ts';
import { handleAuthorize } from './authorize.ts';
import { handleRevoke } from './revoke.ts';
import { handleToken } from './token.ts';
import { handleUserInfo } from './userinfo.ts';

type Page = { get(p: PageContext): unknown; post(p: PageContext): unknown };
const pages: Record<string, Page> = { '/login': { get: getLogin, post: postLogin }, ...accountPages };

/**
 * The OAuth 2.0 / OIDC endpoints and the managed-login pages (ADR 0081), as routes of the server's
 * table. What an SPA fetches cross-origin (token, userInfo, revoke) is 'browser'; what a browser
 * navigates to (authorize, logout, the pages) is 'none' (ADR 0076).
 */
export const oauthRoutes: Route[] = [
  {
    method: 'GET',
    path: '/oauth2/authorize',
    cors: 'none',
    handle: (c) => handleAuthorize(c.ctx, c.req, c.res, c.url),
  },
  { method: 'POST', path: '/oauth2/token', cors: 'browser', handle: (c) => handleToken(c.ctx, c.req, c.res) },
  {
    method: 'GET',
    path: '/oauth2/userInfo',
    cors: 'browser',
    handle: (c) => handleUserInfo(c.ctx, c.req, c.res),
  },
  {
    method: 'POST',
    path: '/oauth2/userInfo',
    cors: 'browser',
    handle: (c) => handleUserInfo(c.ctx, c.req, c.res),
  },
  {
    method: 'POST',
    path: '/oauth2/revoke',
    cors: 'browser',
    handle: (c) => handleRevoke(c.ctx, c.req, c.res),
  },
  {
    method: 'GET',
    path: idpResponsePath,
    cors: 'none',
    handle: (c) => handleIdpResponse(c.ctx, c.req, c.res, c.url),
  },
  { method: 'GET', path: '/logout', cors: 'none', handle: (c) => handleLogout(c.ctx, c.req, c.res, c.url) },
  { method: 'GET', path: '/error', cors: 'none', handle: (c) => handleErrorPage(c.res, c.url) },
  ...(['GET', 'POST'] as const).map(
    (method): Route => ({
      method,
      path: '/passkeys/add',
      cors: 'none',
      handle: (c) => handleAddPasskey(c.ctx, c.req, c.res, c.url),
    }),
  ),
  ...Object.entries(pages).flatMap(([path, page]): Route[] =>
    (['GET', 'POST'] as const).map((method) => ({
      method,
      path,
      cors: 'none',
      async handle(c) {
        const p = pageContext(c.ctx, c.req, c.res, c.url);
        if (p) await (method === 'GET' ? page.get(p) : page.post(p));
      },
    })),
  ),
];
