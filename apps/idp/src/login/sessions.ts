import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock.ts';
import { opaque } from '../ids.ts';

/** A signed-in browser on the managed login: a second /oauth2/authorize within the hour needs no form. */
export interface BrowserSession {
  poolId: string;
  username: string;
  authTime: number;
  expiresAt: number;
}

/** Cognito's managed-login cookies are valid for an hour. */
export const browserSessionMs = 3600_000;
/** The new-password step of a FORCE_CHANGE_PASSWORD user, like Cognito's 3-minute challenge session. */
const pendingMs = 3 * 60_000;

export const sessionCookie = (poolId: string) => `idp-session-${poolId}`;

export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * HttpOnly, SameSite=Lax (sent on the top-level navigation from the app to /oauth2/authorize, never on
 * cross-site subrequests or form posts), Secure over TLS.
 */
export function cookie(name: string, value: string, maxAgeSeconds: number, secure: boolean) {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** In memory: a restart signs browsers out of the managed login (tokens already issued stay valid). */
export class BrowserSessions {
  private readonly sessions = new Map<string, BrowserSession>();
  private readonly pending = new Map<
    string,
    { poolId: string; clientId: string; username: string; expiresAt: number }
  >();
  constructor(private readonly clock: Clock) {}

  create(poolId: string, username: string): { id: string; session: BrowserSession } {
    const now = this.clock();
    for (const [k, v] of this.sessions) if (v.expiresAt < now) this.sessions.delete(k);
    const id = opaque(32);
    const session = { poolId, username, authTime: now, expiresAt: now + browserSessionMs };
    this.sessions.set(id, session);
    return { id, session };
  }

  find(req: IncomingMessage, poolId: string): BrowserSession | undefined {
    const id = readCookies(req).get(sessionCookie(poolId));
    const s = id ? this.sessions.get(id) : undefined;
    if (!s || s.poolId !== poolId || s.expiresAt < this.clock()) return undefined;
    return s;
  }

  end(req: IncomingMessage, poolId: string) {
    const id = readCookies(req).get(sessionCookie(poolId));
    if (id) this.sessions.delete(id);
  }

  /** A FORCE_CHANGE_PASSWORD user's pending new-password step. */
  startNewPassword(poolId: string, clientId: string, username: string): string {
    const token = opaque(32);
    this.pending.set(token, { poolId, clientId, username, expiresAt: this.clock() + pendingMs });
    return token;
  }

  takeNewPassword(token: string) {
    const p = this.pending.get(token);
    this.pending.delete(token);
    return p && p.expiresAt >= this.clock() ? p : undefined;
  }

  /** Puts a new-password step back after a rejected password, so the user can try again. */
  restoreNewPassword(
    token: string,
    p: { poolId: string; clientId: string; username: string; expiresAt: number },
  ) {
    this.pending.set(token, p);
  }
}
