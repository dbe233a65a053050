/**
 * Where `login --web` signs in, found without flags (ADR 0197): the managed login's URL and the
 * pool's command-line client, from the first of
 *  1. `--auth-url` / `--client-id` (or COGNITO_STACK_AUTH_URL / COGNITO_STACK_CLIENT_ID);
 *  2. a site's `/config.json` (`--web-url` or COGNITO_STACK_WEB_URL): `cliClientId`, `hostedUi.url`,
 *     and `apiUrl` — how a deployed stack is reached;
 *  3. the local IdP's bootstrap.json, where `npm start` keeps it (`$DATA_DIR/idp`, else the repo's
 *     `.data/idp`) — the local stack, as the API's default is `npm start`'s API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_CALLBACK_URL, definition, nativeClient } from '@app/pool-definition';
import { CliError, EXIT } from './errors.ts';

export interface WebLogin {
  authUrl: string;
  clientId: string;
  /** The API named by the site's config.json, when the login was found there. */
  apiUrl?: string;
  /** Where the managed login returns: the CLI client's one registered loopback callback. */
  redirectUri: string;
  /** Which source answered, for the message printed before the browser opens. */
  source: string;
}

export interface DiscoverOptions {
  authUrl?: string | undefined;
  clientId?: string | undefined;
  webUrl?: string | undefined;
  /** Another loopback port than the definition's (a pool whose CLI client lists another). */
  port?: string | undefined;
  env: NodeJS.ProcessEnv;
}

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const cliKey = nativeClient(definition)?.key ?? 'cli';

/** The definition's loopback callback, on another port when asked. */
export function redirectUri(port: string | undefined): string {
  if (port === undefined) return CLI_CALLBACK_URL;
  const n = Number(port);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new CliError(`--port must be a port number, got "${port}"`, EXIT.usage);
  const url = new URL(CLI_CALLBACK_URL);
  url.port = String(n);
  return url.toString();
}

export async function discoverWebLogin(o: DiscoverOptions): Promise<WebLogin> {
  // An empty variable counts as unset, as in a shell's `VAR= cognito-stack …`.
  const env = (name: string) => o.env[name] || undefined;
  const redirect = redirectUri(o.port ?? env('COGNITO_STACK_LOGIN_PORT'));
  const authUrl = o.authUrl ?? env('COGNITO_STACK_AUTH_URL');
  const clientId = o.clientId ?? env('COGNITO_STACK_CLIENT_ID');
  if (authUrl && clientId) return { authUrl, clientId, redirectUri: redirect, source: 'the options' };
  const webUrl = o.webUrl ?? env('COGNITO_STACK_WEB_URL');
  const found = webUrl ? await fromSiteConfig(webUrl) : fromBootstrap(o.env);
  return {
    ...found,
    authUrl: authUrl ?? found.authUrl,
    clientId: clientId ?? found.clientId,
    redirectUri: redirect,
  };
}

interface SiteConfig {
  apiUrl?: unknown;
  cliClientId?: unknown;
  hostedUi?: { url?: unknown };
}

async function fromSiteConfig(webUrl: string): Promise<Omit<WebLogin, 'redirectUri'>> {
  let base: URL;
  try {
    base = new URL(webUrl.replace(/\/*$/, '/'));
  } catch {
    throw new CliError(`--web-url must be an absolute URL, got "${webUrl}"`, EXIT.usage);
  }
  const url = new URL('config.json', base).toString();
  let config: SiteConfig;
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    config = (await res.json()) as SiteConfig;
  } catch (err) {
    throw new CliError(`cannot read ${url} (${(err as Error).message})`, EXIT.failed);
  }
  const authUrl = config.hostedUi?.url;
  if (typeof config.cliClientId !== 'string' || typeof authUrl !== 'string')
    throw new CliError(
      `${url} names no command-line client (cliClientId and hostedUi.url): this deployment predates it, or has no managed login`,
      EXIT.failed,
    );
  // '' is the site's own origin (CloudFront forwards /api/*), as the SPA reads it.
  const api = typeof config.apiUrl === 'string' && config.apiUrl !== '' ? config.apiUrl : base.origin;
  return { authUrl, clientId: config.cliClientId, apiUrl: api.replace(/\/$/, ''), source: url };
}

interface BootstrapFile {
  pool?: {
    clients?: Record<string, { clientId?: string }>;
    oauth?: { authorizationEndpoint?: string };
  };
}

function fromBootstrap(env: NodeJS.ProcessEnv): Omit<WebLogin, 'redirectUri'> {
  const file = join(resolve(env.DATA_DIR || join(repoRoot, '.data')), 'idp', 'bootstrap.json');
  if (!existsSync(file))
    throw new CliError(
      `login --web needs the managed login: pass --web-url <the web app> (its config.json names it), or --auth-url and --client-id; no local IdP found at ${file} (npm start)`,
      EXIT.usage,
    );
  let boot: BootstrapFile;
  try {
    boot = JSON.parse(readFileSync(file, 'utf8')) as BootstrapFile;
  } catch (err) {
    throw new CliError(`cannot read ${file} (${(err as Error).message})`, EXIT.failed);
  }
  const clientId = boot.pool?.clients?.[cliKey]?.clientId;
  const authorize = boot.pool?.oauth?.authorizationEndpoint;
  if (!clientId || !authorize)
    throw new CliError(
      `the local IdP's pool (${file}) has no "${cliKey}" client: its data predates it; restart npm start (the IdP adds a new definition client at start)`,
      EXIT.failed,
    );
  return { authUrl: new URL(authorize).origin, clientId, source: file };
}
