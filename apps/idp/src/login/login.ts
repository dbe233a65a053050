import { authorizeQuery, noLoginOption, offersCognito } from '../oauth/authorize.ts';
import { redirect } from '../oauth/http.ts';
import { acceptPassword } from '../operations/auth-complete.ts';
import { verifyPassword } from '../operations/auth-password.ts';
import { settingsOf } from '../pools/describe.ts';
import { CognitoError } from '../protocol/errors.ts';
import type { PoolRecord } from '../store/state.ts';
import { preAuthentication } from '../triggers/authentication.ts';
import { migrateUser } from '../triggers/migration.ts';
import { setPassword } from '../users/accounts.ts';
import { findUser } from '../users/lookup.ts';
import { notices, type PageContext, pagePath, postedForm } from './flow.ts';
import { identifierField, identifierOf } from './identifier.ts';
import { continueWithMfa, postMfa } from './mfa.ts';
import { esc, field, form, link, sendPage } from './page.ts';
import { finishPasskeyPage, offersPasskeys, startPasskeyPage } from './passkey.ts';

function policyHint(pool: PoolRecord) {
  const p = pool.passwordPolicy;
  const parts = [`at least ${p.minimumLength} characters`];
  if (p.requireLowercase) parts.push('a lower-case letter');
  if (p.requireUppercase) parts.push('an upper-case letter');
  if (p.requireNumbers) parts.push('a number');
  if (p.requireSymbols) parts.push('a symbol');
  return `Use ${parts.join(', ')}.`;
}

export { policyHint };

/** Whether users may sign themselves up (no AllowAdminCreateUserOnly): else no sign-up link or form. */
export const selfSignUp = (pool: PoolRecord) =>
  !settingsOf(pool).AdminCreateUserConfig.AllowAdminCreateUserOnly;

/**
 * "Sign in with <name>" for each external provider the client supports: a GET back to
 * /oauth2/authorize with identity_provider, which sends the browser to that provider.
 */
function providerButtons(p: PageContext) {
  const names = (p.request.client.oauth?.identityProviders ?? []).filter(
    (n) => n !== 'COGNITO' && p.request.pool.identityProviders?.[n],
  );
  if (names.length === 0) return '';
  const params = new URLSearchParams(authorizeQuery(p.url.searchParams));
  params.delete('identity_provider');
  params.delete('idp_identifier');
  const hidden = [...params]
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return names
    .map(
      (n) =>
        `<form method="get" action="/oauth2/authorize">${hidden}<input type="hidden" name="identity_provider" value="${esc(n)}"><button type="submit" class="secondary">Sign in with ${esc(n)}</button></form>`,
    )
    .join('');
}

function loginPage(p: PageContext, o: { error?: string; username?: string; status?: number } = {}) {
  if (!offersCognito(p.request.client)) return providersOnlyPage(p, o);
  const notice = notices[p.url.searchParams.get('notice') ?? ''];
  const username = o.username ?? p.url.searchParams.get('login_hint') ?? '';
  const inner =
    field(identifierField(p.request.pool, username), !!o.error) +
    field(
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
      !!o.error,
    );
  sendPage(p.res, {
    title: 'Sign in',
    lead: `to ${p.request.client.clientName}`,
    error: o.error,
    notice: o.error ? undefined : notice,
    status: o.status,
    headers: p.headers,
    body: `${form(pagePath(p, '/login'), p.csrf, {}, inner, 'Sign in').replace(
      '</form>',
      offersPasskeys(p)
        ? '<button type="submit" name="method" value="passkey" class="secondary">Sign in with a passkey</button></form>'
        : '</form>',
    )}
${providerButtons(p)}
<nav>${link(pagePath(p, '/forgotPassword'), 'Forgot your password?')}${selfSignUp(p.request.pool) ? link(pagePath(p, '/signup'), 'Create an account') : ''}</nav>`,
  });
}

/**
 * A client without COGNITO among its SupportedIdentityProviders: its external providers' buttons only,
 * or Cognito's "no login option" words when it has none (ADR 0213).
 */
function providersOnlyPage(p: PageContext, o: { error?: string; status?: number }) {
  const buttons = providerButtons(p);
  sendPage(p.res, {
    title: 'Sign in',
    lead: `to ${p.request.client.clientName}`,
    error: o.error ?? (buttons ? undefined : noLoginOption),
    status: o.status ?? (buttons ? 200 : 400),
    headers: p.headers,
    body: buttons,
  });
}

function newPasswordPage(p: PageContext, pending: string, error?: string) {
  const inner = field(
    {
      name: 'new_password',
      label: 'New password',
      type: 'password',
      autocomplete: 'new-password',
      hint: policyHint(p.request.pool),
    },
    !!error,
  );
  sendPage(p.res, {
    title: 'Choose a new password',
    lead: 'Your account was created with a temporary password. Choose your own to continue.',
    error,
    status: error ? 400 : 200,
    headers: p.headers,
    body: form(pagePath(p, '/login'), p.csrf, { pending }, inner, 'Set password and sign in'),
  });
}

export function getLogin(p: PageContext) {
  loginPage(p);
}

/** POST /login: the password (Cognito's lockout and messages), then the new-password step if due. */
export async function postLogin(p: PageContext) {
  const posted = await postedForm(p);
  if (!posted) return;
  if (!offersCognito(p.request.client)) return loginPage(p, { error: noLoginOption, status: 400 });
  if (posted.get('mfa_session')) return postMfa(p, posted);
  const fail = (error: string) => loginPage(p, { error, status: 400 });
  if (posted.get('passkey_session')) return finishPasskeyPage(p, posted, fail);
  if (posted.get('method') === 'passkey' && offersPasskeys(p)) {
    const name = (posted.get('username') ?? '').trim();
    return startPasskeyPage(p, name, (error) => loginPage(p, { error, username: name, status: 400 }));
  }
  const pending = posted.get('pending');
  if (pending) return postNewPassword(p, pending, posted.get('new_password') ?? '');
  const { ctx, request } = p;
  const { pool, client } = request;
  const username = (posted.get('username') ?? '').trim();
  const password = posted.get('password') ?? '';
  if (!username || !password)
    return loginPage(p, {
      error: `Enter your ${identifierOf(pool).noun} and password.`,
      username,
      status: 400,
    });
  try {
    const found =
      findUser(pool, username) ??
      (await migrateUser(ctx, pool, client, { source: 'Authentication', username, password }));
    await preAuthentication(ctx, pool, client, { user: found, username });
    const user = await verifyPassword(ctx, client, found, password);
    // As Cognito's managed login does: a right password for an unconfirmed account leads to the code page.
    if (user.status === 'UNCONFIRMED') return redirect(p.res, pagePath(p, '/confirm', { username }));
    if (await acceptPassword(ctx, user)) {
      await ctx.store.commit();
      return newPasswordPage(p, ctx.oauth.browsers.startNewPassword(pool.id, client.clientId, user.username));
    }
    await ctx.store.commit();
    return continueWithMfa(p, user);
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    return loginPage(p, { error: err.message, username, status: 400 });
  }
}

async function postNewPassword(p: PageContext, token: string, newPassword: string) {
  const { ctx, request } = p;
  const step = ctx.oauth.browsers.takeNewPassword(token);
  const user =
    step && step.clientId === request.client.clientId ? request.pool.users[step.username] : undefined;
  if (!step || !user)
    return loginPage(p, { error: 'Invalid session for the user, session is expired.', status: 400 });
  try {
    await setPassword(ctx, request.pool, user, newPassword, 'CONFIRMED');
    await ctx.store.commit();
  } catch (err) {
    if (!(err instanceof CognitoError)) throw err;
    ctx.oauth.browsers.restoreNewPassword(token, step);
    return newPasswordPage(p, token, err.message);
  }
  return continueWithMfa(p, user);
}
