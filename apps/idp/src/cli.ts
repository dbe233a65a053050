import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type UserPoolDefinition, userPoolDefinition } from '@app/pool-definition';
import type { SeedUser } from './bootstrap.ts';
import { ExposureError, makeExposure } from './protocol/exposure.ts';
import type { TlsOptions } from './tls-listener.ts';
import { FunctionMapError, type FunctionTarget, loadFunctionMap } from './triggers/targets.ts';

export interface CliOptions {
  port: number;
  host: string;
  allowRemote: boolean;
  corsOrigins: string[];
  allowedHosts: string[];
  /** The web app's callback and sign-out URLs, added to the pool's hosted-UI client(s). */
  appUrls: { callbackUrls: string[]; logoutUrls: string[] };
  dataDir: string;
  region: string;
  users: SeedUser[];
  /** A pool definition file (JSON, @app/pool-definition's schema); default: the shared definition. */
  definition?: UserPoolDefinition;
  /** Where the pool's Lambda triggers run (--functions functions.json). */
  functions?: Map<string, FunctionTarget>;
  /** The HTTPS listener (--tls-port, with --tls-cert/--tls-key or a generated certificate). */
  tls?: TlsOptions;
  /** The mock OIDC provider beside the IdP (--mock-oidc-port). */
  mockOidc?: { port: number };
  quiet: boolean;
}

export class CliError extends Error {
  override name = 'CliError';
}

export const usage = `Usage: npm run idp -- [--port 9339] [--host 127.0.0.1] [--data-dir .data/idp]
                      [--region us-east-1] [--users users.json] [--definition pool.json] [--quiet]
                      [--functions functions.json] [--tls-port 9230 [--tls-cert c.pem --tls-key k.pem] [--tls-issuer]]
                      [--mock-oidc-port 9340]
                      [--cors-origin http://localhost:5173]... [--allowed-host name]... [--allow-remote]
                      [--callback-url http://localhost:5173/auth/callback]... [--logout-url URL]...

Environment: IDP_PORT, IDP_HOST, IDP_DATA_DIR, IDP_REGION, IDP_USERS_FILE, IDP_DEFINITION_FILE,
  IDP_FUNCTIONS_FILE, IDP_TLS_PORT, IDP_TLS_CERT, IDP_TLS_KEY, IDP_TLS_ISSUER=1, IDP_MOCK_OIDC_PORT,
  IDP_CORS_ORIGINS, IDP_ALLOWED_HOSTS, IDP_CALLBACK_URLS and IDP_LOGOUT_URLS (comma-separated),
  IDP_ALLOW_REMOTE=1 (flags win).
--cors-origin: a web origin (the SPA's) whose pages may call the operations Cognito serves to
  browsers; repeat for more. Default: none. Admin operations and /_dev/* are never open to pages.
--allowed-host: a Host name to answer besides localhost, *.localhost, 127.0.0.0/8 and [::1].
--callback-url, --logout-url: the web app's own URLs, added at every start to the pool's app client(s)
  that use the managed login (its CallbackURLs / LogoutURLs), so an SPA on another port can use it.
--allow-remote: permit a --host that is not loopback (the admin operations have no real auth).
--users: a JSON array of {"email", "password", "name"?, "groups"?} created CONFIRMED if missing.
--definition: a JSON pool definition (packages/pool-definition's schema) used to bootstrap an
  empty data folder; default: the shared definition (packages/pool-definition).
--functions: a JSON object mapping Lambda ARNs or function names (from the pool's LambdaConfig) to
  where they run: "./path.ts#handler" (imported again when the file changes), "http://…" (POST the
  event, answer the event), or {"invoke": "http://127.0.0.1:3001", "name": "fn"} (Lambda Invoke API).
--tls-port: also serve every endpoint over HTTPS on this port (0 = any), for Amplify's hosted-UI
  redirects (it always uses https://). The certificate is generated in the data folder
  (tls-cert.pem) unless --tls-cert and --tls-key name PEM files.
--tls-issuer: tokens name the https listener as their issuer (https://<host>:<tls port>/<poolId>), as a
  production build of the API requires (with UNSAFE_NON_COGNITO_ISSUER; a production rehearsal).
--mock-oidc-port: start the mock OIDC provider ("Google" without internet) on this loopback port
  (0 = any) and offer it in the pool as the definition's OIDC provider (MockGoogle).`;

/** Flags, then environment, then defaults; anything malformed stops start-up with a clear message. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions | 'help' {
  let values: Values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        region: { type: 'string' },
        users: { type: 'string' },
        definition: { type: 'string' },
        functions: { type: 'string' },
        'tls-port': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-issuer': { type: 'boolean' },
        'mock-oidc-port': { type: 'string' },
        quiet: { type: 'boolean' },
        'cors-origin': { type: 'string', multiple: true },
        'allowed-host': { type: 'string', multiple: true },
        'allow-remote': { type: 'boolean' },
        'callback-url': { type: 'string', multiple: true },
        'logout-url': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${usage}`);
  }
  if (values.help) return 'help';
  const portText = (values.port as string | undefined) ?? env.IDP_PORT ?? '9339';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new CliError(`--port must be a number from 0 to 65535, got "${portText}"`);
  const region = (values.region as string | undefined) ?? env.IDP_REGION ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new CliError(`--region "${region}" is not an AWS region name`);
  // `npm run idp` runs in apps/idp; relative paths mean the folder the command was typed in.
  const base = env.INIT_CWD ?? process.cwd();
  const usersFile = (values.users as string | undefined) ?? env.IDP_USERS_FILE;
  const definitionFile = (values.definition as string | undefined) ?? env.IDP_DEFINITION_FILE;
  const functionsFile = (values.functions as string | undefined) ?? env.IDP_FUNCTIONS_FILE;
  const list = (flag: string, name: string) =>
    (values[flag] as string[] | undefined) ??
    (env[name] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const corsOrigins = list('cors-origin', 'IDP_CORS_ORIGINS');
  const allowedHosts = list('allowed-host', 'IDP_ALLOWED_HOSTS');
  try {
    makeExposure({ corsOrigins, allowedHosts });
  } catch (err) {
    if (err instanceof ExposureError) throw new CliError(err.message);
    throw err;
  }
  return {
    port,
    host: (values.host as string | undefined) ?? env.IDP_HOST ?? '127.0.0.1',
    allowRemote: values['allow-remote'] === true || /^(1|true|yes)$/i.test(env.IDP_ALLOW_REMOTE ?? ''),
    corsOrigins,
    allowedHosts,
    appUrls: {
      callbackUrls: list('callback-url', 'IDP_CALLBACK_URLS'),
      logoutUrls: list('logout-url', 'IDP_LOGOUT_URLS'),
    },
    dataDir: resolve(base, (values['data-dir'] as string | undefined) ?? env.IDP_DATA_DIR ?? '.data/idp'),
    region,
    users: usersFile ? readUsers(resolve(base, usersFile)) : [],
    ...(definitionFile ? { definition: readDefinition(resolve(base, definitionFile)) } : {}),
    ...(functionsFile ? { functions: readFunctions(resolve(base, functionsFile)) } : {}),
    ...tlsOptions(values, env, base),
    ...mockOidcOption(values, env),
    quiet: values.quiet === true,
  };
}

type Values = Record<string, string | boolean | string[] | undefined>;

function mockOidcOption(values: Values, env: NodeJS.ProcessEnv): { mockOidc?: { port: number } } {
  const text = (values['mock-oidc-port'] as string | undefined) ?? env.IDP_MOCK_OIDC_PORT;
  if (text === undefined) return {};
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new CliError(`--mock-oidc-port must be a number from 0 to 65535, got "${text}"`);
  return { mockOidc: { port } };
}

function tlsOptions(values: Values, env: NodeJS.ProcessEnv, base: string): { tls?: TlsOptions } {
  const portText = (values['tls-port'] as string | undefined) ?? env.IDP_TLS_PORT;
  const certFile = (values['tls-cert'] as string | undefined) ?? env.IDP_TLS_CERT;
  const keyFile = (values['tls-key'] as string | undefined) ?? env.IDP_TLS_KEY;
  const issuer = values['tls-issuer'] === true || /^(1|true|yes)$/i.test(env.IDP_TLS_ISSUER ?? '');
  if (portText === undefined || portText === '') {
    if (certFile || keyFile) throw new CliError('--tls-cert and --tls-key need --tls-port');
    if (issuer) throw new CliError('--tls-issuer needs --tls-port');
    return {};
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new CliError(`--tls-port must be a number from 0 to 65535, got "${portText}"`);
  if (!certFile !== !keyFile)
    throw new CliError('--tls-cert and --tls-key go together (or neither: generated)');
  if (!certFile || !keyFile) return { tls: { port, ...(issuer ? { issuer } : {}) } };
  const read = (file: string) => {
    try {
      return readFileSync(resolve(base, file), 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
  };
  return {
    tls: {
      port,
      cert: read(certFile),
      key: read(keyFile),
      certFile: resolve(base, certFile),
      ...(issuer ? { issuer } : {}),
    },
  };
}

function readUsers(file: string): SeedUser[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read users file ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new CliError(`users file ${file} must hold a JSON array`);
  return parsed.map((u, i) => {
    if (!u || typeof u.email !== 'string' || typeof u.password !== 'string')
      throw new CliError(`users file ${file}: entry ${i} needs "email" and "password" strings`);
    if (
      u.groups !== undefined &&
      (!Array.isArray(u.groups) || u.groups.some((g: unknown) => typeof g !== 'string'))
    )
      throw new CliError(`users file ${file}: entry ${i} has a "groups" that is not a list of names`);
    return {
      email: u.email,
      password: u.password,
      name: typeof u.name === 'string' ? u.name : undefined,
      groups: u.groups,
    };
  });
}

function readDefinition(file: string): UserPoolDefinition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read pool definition ${file}: ${(err as Error).message}`);
  }
  const result = userPoolDefinition.safeParse(parsed);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new CliError(`pool definition ${file} is not valid:\n${problems.join('\n')}`);
  }
  return result.data;
}

function readFunctions(file: string) {
  try {
    return loadFunctionMap(file);
  } catch (err) {
    if (err instanceof FunctionMapError) throw new CliError(err.message);
    throw err;
  }
}
