import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { opaque } from '../ids.ts';
import { readCookies } from './sessions.ts';

const name = 'idp-csrf';

/**
 * Double-submit CSRF token: a SameSite=Strict cookie and the same value in every form. A cross-site page
 * can neither read the cookie nor make the browser send it with its own post.
 */
export function csrfToken(req: IncomingMessage, secure: boolean): { token: string; setCookie?: string } {
  const existing = readCookies(req).get(name);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return { token: existing };
  const token = opaque(32);
  return {
    token,
    setCookie: `${name}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
  };
}

export function csrfValid(req: IncomingMessage, form: URLSearchParams): boolean {
  const cookie = readCookies(req).get(name);
  const given = form.get('_csrf');
  if (!cookie || !given) return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
