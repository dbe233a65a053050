import type { TokenResponse } from '@app/api-contract';
import { CliError, EXIT, exitFor } from './errors.ts';
import { readSession, type Session, writeSession } from './session.ts';

/** Refresh this long before the access token expires, so a request never carries a dying token. */
const REFRESH_MARGIN_MS = 60_000;

interface Problem {
  title?: string;
  detail?: string;
  /** Which fields a 400 refused, and why (the API's validation errors). */
  errors?: { path?: string; message?: string }[];
}

/** Fetch, turning network failures into a one-line error. */
async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(`cannot reach ${new URL(url).origin} (${cause})`, EXIT.failed);
  }
}

async function problemOf(res: Response): Promise<CliError> {
  const text = await res.text();
  let message = `${res.status} ${res.statusText}`;
  try {
    const p = JSON.parse(text) as Problem;
    const fields = (p.errors ?? [])
      .map((e) => [e.path, e.message].filter(Boolean).join(' '))
      .filter(Boolean)
      .join('; ');
    const what = p.detail ?? p.title ?? res.statusText;
    message = fields ? `${what.replace(/\.$/, '')}: ${fields} (${res.status})` : `${what} (${res.status})`;
  } catch {}
  return new CliError(message, exitFor(res.status), res.status);
}

/** POST a JSON body without a session (sign-in); a problem answer becomes a CliError. */
export async function postJson<T>(url: string, body: object): Promise<T> {
  const res = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

export function sessionFromTokens(
  apiUrl: string,
  method: Session['method'],
  tokens: Pick<TokenResponse, 'access_token' | 'id_token' | 'refresh_token' | 'expires_in'>,
  previous?: Session,
): Session {
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  return {
    apiUrl,
    method,
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    ...(refreshToken ? { refreshToken } : {}),
    expiresAt: Date.now() + tokens.expires_in * 1000,
  };
}

/**
 * The signed-in API: every call carries the access token, refreshed first when it is about to
 * expire and once more when the API refuses it (401); the refreshed tokens are saved at once.
 */
export class Api {
  private constructor(
    private session: Session,
    private readonly dir: string | undefined,
  ) {}

  static open(dir?: string): Api {
    const session = readSession(dir);
    if (!session) throw new CliError('not signed in: run `cognito-stack login`', EXIT.auth);
    return new Api(session, dir);
  }

  get current(): Session {
    return this.session;
  }

  async request<T>(method: string, path: string, body?: object): Promise<T> {
    if (this.session.expiresAt - REFRESH_MARGIN_MS < Date.now()) await this.refresh();
    let res = await this.call(method, path, body);
    if (res.status === 401) {
      await this.refresh();
      res = await this.call(method, path, body);
    }
    if (!res.ok) throw await problemOf(res);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  private call(method: string, path: string, body?: object): Promise<Response> {
    return send(`${this.session.apiUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.session.accessToken}`,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** New tokens from the refresh token: through the API (password sign-in) or the IdP (PKCE). */
  async refresh(): Promise<void> {
    const { method, refreshToken, apiUrl } = this.session;
    if (!refreshToken) throw new CliError('the session expired: run `cognito-stack login`', EXIT.auth);
    let tokens: TokenResponse;
    try {
      if (method.kind === 'password') {
        tokens = await postJson<TokenResponse>(`${apiUrl}/api/v1/auth/refresh`, {
          refresh_token: refreshToken,
          email: method.email,
        });
      } else {
        const res = await send(method.tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            client_id: method.clientId,
            refresh_token: refreshToken,
          }),
        });
        if (!res.ok) throw await problemOf(res);
        tokens = { ...((await res.json()) as TokenResponse), token_type: 'Bearer' };
      }
    } catch (err) {
      if (err instanceof CliError && err.code !== EXIT.failed)
        throw new CliError('the session ended: run `cognito-stack login`', EXIT.auth, err.status);
      throw err;
    }
    this.session = sessionFromTokens(apiUrl, method, tokens, this.session);
    writeSession(this.session, this.dir);
  }
}
