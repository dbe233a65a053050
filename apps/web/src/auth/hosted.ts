/**
 * "Sign in with the hosted page": OAuth 2.0 authorization code with PKCE (S256), `state` and `nonce`
 * against the user pool's managed login — Cognito's domain, or the local IdP's (ADR 0140). This module
 * speaks the protocol only; the tokens it returns go through the same session code as an SRP sign-in.
 */
import type { HostedUiConfig } from '../config/runtime-config.ts';
import { AuthError } from './errors.ts';

export interface HostedTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** What the tab remembers between leaving for the hosted page and coming back (sessionStorage). */
interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  redirectUri: string;
  keepSignedIn: boolean;
  returnTo: string;
}

const PENDING_KEY = 'hostedSignIn.pending';

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** 32 random bytes: a 43-character verifier, state or nonce (RFC 7636 allows 43–128). */
const randomToken = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** Amplify's rule for several registered URLs: the one on this page's origin, else the first. */
function onOrigin(urls: readonly string[], origin: string): string {
  const url = urls.find((u) => new URL(u).origin === origin) ?? urls[0];
  if (!url) throw new AuthError('HostedUiNotConfigured', 'Signing in with the hosted page is not set up.');
  return url;
}

function payload(jwt: string): Record<string, unknown> {
  try {
    const part = jwt.split('.')[1] ?? '';
    const text = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0))));
  } catch {
    return {};
  }
}

const startAgain = ' Start again from the sign-in page.';

/** OAuth error codes (RFC 6749 4.1.2.1, 5.2) in plain words. */
const oauthWords: Record<string, string> = {
  access_denied: 'Signing in was cancelled or refused at the sign-in page.',
  invalid_grant: `The sign-in took too long or was already completed, so its code is no longer valid.${startAgain}`,
  invalid_scope: 'The sign-in page refused the permissions this app asks for. Contact the administrator.',
  unauthorized_client: 'This app may not use the hosted sign-in page. Contact the administrator.',
  invalid_client: 'This app may not use the hosted sign-in page. Contact the administrator.',
  invalid_request: `The sign-in page could not handle the request.${startAgain}`,
  server_error: 'The sign-in page had a problem. Please try again.',
  temporarily_unavailable: 'The sign-in page is busy. Please try again in a moment.',
};

function oauthError(code: string): AuthError {
  return new AuthError(code, oauthWords[code] ?? `The sign-in page refused the request (${code}).`);
}

export class HostedSignIn {
  constructor(
    private readonly config: HostedUiConfig,
    private readonly clientId: string,
    /** This tab's storage: the request must come back to the tab that made it. */
    private readonly tab: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly origin: string,
  ) {}

  /** Stores a new request (verifier, state, nonce) and returns the /oauth2/authorize URL to go to. */
  async authorizeUrl(options: {
    keepSignedIn: boolean;
    returnTo: string;
    /** An external provider: the managed login sends the browser straight there (Cognito's identity_provider). */
    identityProvider?: string;
  }): Promise<string> {
    const pending: PendingSignIn = {
      state: randomToken(),
      nonce: randomToken(),
      verifier: randomToken(),
      redirectUri: onOrigin(this.config.redirectSignIn, this.origin),
      keepSignedIn: options.keepSignedIn,
      returnTo: options.returnTo,
    };
    const challenge = await s256(pending.verifier);
    this.tab.setItem(PENDING_KEY, JSON.stringify(pending));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.clientId,
      redirect_uri: pending.redirectUri,
      scope: this.config.scopes.join(' '),
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    if (options.identityProvider) query.set('identity_provider', options.identityProvider);
    return `${this.config.url}/oauth2/authorize?${query}`;
  }

  /**
   * The callback: checks `state` against this tab's request (which is used up either way), turns an
   * `error` into plain words, exchanges the code at /oauth2/token with the verifier and checks the ID
   * token's `nonce` and audience.
   */
  async complete(
    callbackUrl: string,
  ): Promise<{ tokens: HostedTokens; keepSignedIn: boolean; returnTo: string }> {
    const params = new URL(callbackUrl).searchParams;
    const saved = this.tab.getItem(PENDING_KEY);
    this.tab.removeItem(PENDING_KEY);
    const pending = saved ? (JSON.parse(saved) as PendingSignIn) : null;
    if (!pending || params.get('state') !== pending.state)
      throw new AuthError(
        'StateMismatch',
        `This sign-in answer does not belong to a sign-in started in this tab (or it was already used).${startAgain}`,
      );
    const error = params.get('error');
    if (error) throw oauthError(error);
    const code = params.get('code');
    if (!code) throw oauthError('invalid_request');
    let res: Response;
    try {
      res = await fetch(`${this.config.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: this.clientId,
          code,
          redirect_uri: pending.redirectUri,
          code_verifier: pending.verifier,
        }),
      });
    } catch {
      throw new AuthError(
        'NetworkError',
        'Cannot reach the sign-in service. Check your connection and try again.',
      );
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw oauthError(typeof body.error === 'string' ? body.error : 'server_error');
    const { id_token, access_token, refresh_token } = body;
    if (typeof id_token !== 'string' || typeof access_token !== 'string' || typeof refresh_token !== 'string')
      throw oauthError('server_error');
    const claims = payload(id_token);
    if (claims.nonce !== pending.nonce || claims.aud !== this.clientId)
      throw new AuthError('NonceMismatch', `The sign-in answer was not made for this request.${startAgain}`);
    return {
      tokens: { idToken: id_token, accessToken: access_token, refreshToken: refresh_token },
      keepSignedIn: pending.keepSignedIn,
      returnTo: pending.returnTo,
    };
  }

  /** /logout: ends the managed login's own session (its cookie), then comes back to this app. */
  logoutUrl(): string {
    const query = new URLSearchParams({
      client_id: this.clientId,
      logout_uri: onOrigin(this.config.redirectSignOut, this.origin),
    });
    return `${this.config.url}/logout?${query}`;
  }
}
