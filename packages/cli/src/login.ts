import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { ChallengeResponse, SignInResponse, TokenResponse } from '@app/api-contract';
import { postJson, sessionFromTokens } from './api.ts';
import { CliError, EXIT } from './errors.ts';
import type { Prompter } from './prompt.ts';
import type { Session } from './session.ts';

/**
 * E-mail and password through the API's backend sign-in (POST /auth/login), answering each MFA
 * step the API returns at POST /auth/challenge until it answers tokens.
 */
export async function passwordLogin(
  apiUrl: string,
  email: string,
  prompter: Prompter,
  opts: { code?: string; say: (line: string) => void },
): Promise<Session> {
  const password = await prompter.ask('Password: ', { secret: true });
  let answer = await postJson<SignInResponse>(`${apiUrl}/api/v1/auth/login`, { email, password });
  let presetCode = opts.code;
  for (let step = 0; 'challenge_name' in answer; step++) {
    if (step > 5) throw new CliError('the sign-in asked for too many steps', EXIT.failed);
    const challenge: ChallengeResponse = answer;
    const body: Record<string, string> = {
      email,
      challenge_name: challenge.challenge_name,
      session: challenge.session,
    };
    if (challenge.fields.includes('mfa_type')) {
      // The first factor offered; authenticator apps come first when the user has one.
      body.mfa_type = challenge.mfa_types?.[0] ?? 'SOFTWARE_TOKEN_MFA';
    } else {
      if (challenge.challenge_name === 'MFA_SETUP' && challenge.secret_code)
        opts.say(`Add this key to your authenticator app: ${challenge.secret_code}`);
      const where = challenge.code_sent_to ? ` (sent to ${challenge.code_sent_to})` : '';
      body.code = presetCode ?? (await prompter.ask(`Code${where}: `));
      presetCode = undefined;
    }
    answer = await postJson<SignInResponse>(`${apiUrl}/api/v1/auth/challenge`, body);
  }
  return sessionFromTokens(apiUrl, { kind: 'password', email }, answer as TokenResponse);
}

export interface PkceOptions {
  /** The managed login's base URL (the pool's domain), e.g. https://auth.example.com. */
  authUrl: string;
  clientId: string;
  /** The loopback callback the pool's CLI client lists (`http://localhost:<port>/callback`, ADR 0197). */
  redirectUri: string;
  /** OAuth scopes; the default adds aws.cognito.signin.user.admin so the API can read the profile (GetUser). */
  scope?: string;
  say: (line: string) => void;
  /** Opens the sign-in page (a browser); tests drive it themselves. */
  open: (url: string) => void;
  timeoutMs?: number;
}

/**
 * Authorization code + PKCE through the managed login with a loopback redirect (RFC 8252, like
 * `gh auth login`): listen on 127.0.0.1, send the browser to /oauth2/authorize, take the code
 * from the redirect (state checked), trade it with the verifier at /oauth2/token.
 */
export async function pkceLogin(apiUrl: string, opts: PkceOptions): Promise<Session> {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const { redirectUri } = opts;
  const callback = new URL(redirectUri);
  const port = Number(callback.port);
  const authorize = new URL('/oauth2/authorize', opts.authUrl);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: opts.clientId,
    redirect_uri: redirectUri,
    scope: opts.scope ?? 'openid email profile aws.cognito.signin.user.admin',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const code = await new Promise<string>((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', redirectUri);
      if (url.pathname !== callback.pathname) {
        res.writeHead(404).end();
        return;
      }
      const ok = url.searchParams.get('state') === state && url.searchParams.get('code');
      res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(ok ? 'Signed in. You can close this tab and return to the terminal.' : 'Sign-in failed.');
      clearTimeout(timer);
      server.close();
      if (ok) resolve(url.searchParams.get('code')!);
      else
        reject(
          new CliError(
            `sign-in refused: ${url.searchParams.get('error_description') ?? url.searchParams.get('error') ?? 'state mismatch'}`,
            EXIT.auth,
          ),
        );
    });
    const timer = setTimeout(() => {
      server.close();
      reject(new CliError('no sign-in within the time allowed', EXIT.auth));
    }, opts.timeoutMs ?? 300_000);
    server.once('error', (err) => {
      clearTimeout(timer);
      reject(new CliError(`cannot listen on 127.0.0.1:${port} (${(err as Error).message})`, EXIT.failed));
    });
    server.listen(port, '127.0.0.1', () => {
      opts.say(`Open this page to sign in (waiting for the redirect to ${redirectUri}):`);
      opts.say(authorize.toString());
      opts.open(authorize.toString());
    });
  });

  const tokenUrl = new URL('/oauth2/token', opts.authUrl).toString();
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: opts.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  if (!res.ok) throw new CliError(`the token endpoint refused the code (${res.status})`, EXIT.auth);
  const tokens = (await res.json()) as TokenResponse;
  return sessionFromTokens(
    apiUrl,
    {
      kind: 'pkce',
      tokenUrl,
      revokeUrl: new URL('/oauth2/revoke', opts.authUrl).toString(),
      clientId: opts.clientId,
    },
    tokens,
  );
}
