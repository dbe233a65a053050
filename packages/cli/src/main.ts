/**
 * `cognito-stack`: the command-line client (issue 16). Signs in (e-mail + password through the API,
 * or the managed login with PKCE), keeps the tokens in the user's config folder (0600), refreshes
 * them on its own, and manages items and their attachments. `--json` prints machine-readable
 * results; the exit codes are in errors.ts.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { Attachment, AttachmentList, Item, ItemPage } from '@app/api-contract';
import { Api } from './api.ts';
import { attach, progressBar } from './attach.ts';
import { discoverWebLogin } from './discover.ts';
import { CliError, EXIT } from './errors.ts';
import { passwordLogin, pkceLogin } from './login.ts';
import { Prompter } from './prompt.ts';
import { clearSession, readSession, writeSession } from './session.ts';

const USAGE = `usage: cognito-stack <command> [options]

  login [--email <address>] [--code <mfa code>]   e-mail + password through the API (password on stdin)
  login --web [--web-url <url>] [--auth-url <url>] [--client-id <id>] [--port <n>] [--scope <s>]
        [--no-browser]                            managed login, authorization code + PKCE; found in
                                                  <web-url>/config.json, else the local IdP (npm start)
  whoami                                          the signed-in user
  items list [--limit <n>] [--cursor <c>]
  items add <title> [--description <text>] [--done]
  items edit <id> [--title <t>] [--description <text>] [--done | --not-done]
  items rm <id>
  attach <item id> <file> [--type <mime type>]   upload a file to an item, with a progress bar
  attachments <item id>                           an item's files with download links
  logout                                          end the session at the server and forget it

options: --json (machine-readable output), --api <url> (login: the API; default
$COGNITO_STACK_API_URL, else the --web-url site's, else http://127.0.0.1:8000). Tokens: $COGNITO_STACK_CONFIG_DIR, else
~/.config/cognito-stack/session.json (mode 0600).`;

const { values: opts, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        api: { type: 'string' },
        email: { type: 'string' },
        code: { type: 'string' },
        web: { type: 'boolean', default: false },
        'auth-url': { type: 'string' },
        'web-url': { type: 'string' },
        'client-id': { type: 'string' },
        port: { type: 'string' },
        scope: { type: 'string' },
        'no-browser': { type: 'boolean', default: false },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
        done: { type: 'boolean' },
        'not-done': { type: 'boolean' },
        type: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(EXIT.usage);
  }
})();

const say = (line: string) => process.stderr.write(`${line}\n`);
const usage = (message: string) => new CliError(`${message}\n\n${USAGE}`, EXIT.usage);

function print(json: unknown, human: string): void {
  process.stdout.write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
}

const itemLine = (i: Item) => `${i.id}  [${i.done ? 'x' : ' '}] ${i.title}`;
const attachmentLine = (a: Attachment) =>
  `${a.id}  ${a.name}  ${a.content_type}  ${a.size} bytes\n    ${a.download_url}`;

function openBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => say('(could not open a browser: open the page above yourself)'));
  child.unref();
}

async function login(): Promise<void> {
  const defaultApi = (found?: string) =>
    (opts.api || process.env.COGNITO_STACK_API_URL || found || 'http://127.0.0.1:8000').replace(/\/$/, '');
  let apiUrl = defaultApi();
  let session: Awaited<ReturnType<typeof passwordLogin>>;
  if (opts.web) {
    const web = await discoverWebLogin({
      authUrl: opts['auth-url'],
      clientId: opts['client-id'],
      webUrl: opts['web-url'],
      port: opts.port,
      env: process.env,
    });
    apiUrl = defaultApi(web.apiUrl);
    say(`Managed login at ${web.authUrl} (from ${web.source}).`);
    session = await pkceLogin(apiUrl, {
      authUrl: web.authUrl,
      clientId: web.clientId,
      redirectUri: web.redirectUri,
      ...(opts.scope ? { scope: opts.scope } : {}),
      say,
      open: opts['no-browser'] ? () => {} : openBrowser,
    });
  } else {
    const prompter = new Prompter();
    const email = opts.email ?? (await prompter.ask('E-mail: '));
    session = await passwordLogin(apiUrl, email, prompter, {
      ...(opts.code ? { code: opts.code } : {}),
      say,
    });
  }
  writeSession(session);
  const me = await Api.open().request<{ email: string | null; sub: string }>('GET', '/users/me');
  print(
    { signed_in: true, api_url: apiUrl, method: session.method.kind, email: me.email, sub: me.sub },
    `Signed in as ${me.email ?? me.sub}.`,
  );
}

async function logout(): Promise<void> {
  let session: ReturnType<typeof readSession>;
  try {
    session = readSession();
  } catch {
    // A file it cannot read ends no session at the server, but logout still removes it.
    clearSession();
    print({ signed_in: false, ended_at_server: false }, 'Signed out (the session file was unreadable).');
    return;
  }
  if (!session) {
    print({ signed_in: false }, 'Not signed in.');
    return;
  }
  let endedAtServer = true;
  try {
    if (session.method.kind === 'password') {
      await Api.open().request(
        'POST',
        '/auth/sign-out',
        session.refreshToken ? { refresh_token: session.refreshToken } : {},
      );
    } else if (session.refreshToken) {
      const res = await fetch(session.method.revokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: session.refreshToken, client_id: session.method.clientId }),
      });
      endedAtServer = res.ok;
    }
  } catch (err) {
    // An already-ended session still signs out here; anything else is worth saying.
    endedAtServer = err instanceof CliError && err.code === EXIT.auth;
    if (!endedAtServer) say(`warning: the server did not confirm the sign-out (${(err as Error).message})`);
  }
  clearSession();
  print({ signed_in: false, ended_at_server: endedAtServer }, 'Signed out.');
}

async function items(sub: string | undefined, args: string[]): Promise<void> {
  const api = Api.open();
  switch (sub) {
    case 'list': {
      const q = new URLSearchParams();
      if (opts.limit) q.set('limit', opts.limit);
      if (opts.cursor) q.set('cursor', opts.cursor);
      const page = await api.request<ItemPage>('GET', `/items${q.size ? `?${q}` : ''}`);
      const more = page.next_cursor ? `\n(more: --cursor ${page.next_cursor})` : '';
      print(page, page.items.length ? `${page.items.map(itemLine).join('\n')}${more}` : 'No items.');
      return;
    }
    case 'add': {
      if (!args[0]) throw usage('items add needs a title');
      const body = {
        title: args[0],
        ...(opts.description !== undefined ? { description: opts.description } : {}),
        ...(opts.done ? { done: true } : {}),
      };
      const item = await api.request<Item>('POST', '/items', body);
      print(item, `Added ${itemLine(item)}`);
      return;
    }
    case 'edit': {
      if (!args[0]) throw usage('items edit needs an item id');
      const patch = {
        ...(opts.title !== undefined ? { title: opts.title } : {}),
        ...(opts.description !== undefined ? { description: opts.description } : {}),
        ...(opts.done ? { done: true } : opts['not-done'] ? { done: false } : {}),
      };
      if (Object.keys(patch).length === 0)
        throw usage('items edit needs --title, --description, --done or --not-done');
      const item = await api.request<Item>('PATCH', `/items/${args[0]}`, patch);
      print(item, `Updated ${itemLine(item)}`);
      return;
    }
    case 'rm': {
      if (!args[0]) throw usage('items rm needs an item id');
      await api.request('DELETE', `/items/${args[0]}`);
      print({ deleted: args[0] }, `Deleted ${args[0]}.`);
      return;
    }
    default:
      throw usage(`unknown items command: ${sub ?? '(none)'}`);
  }
}

async function main(): Promise<void> {
  const [command, sub, ...rest] = positionals;
  if (opts.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    if (!command && !opts.help) process.exitCode = EXIT.usage;
    return;
  }
  switch (command) {
    case 'login':
      return login();
    case 'logout':
      return logout();
    case 'whoami': {
      const me = await Api.open().request<Record<string, unknown>>('GET', '/users/me');
      print(me, `${me.email ?? me.username} (sub ${me.sub})`);
      return;
    }
    case 'items':
      return items(sub, rest);
    case 'attach': {
      const [file] = rest;
      if (!sub || !file) throw usage('attach needs an item id and a file');
      const done = await attach(Api.open(), sub, file, {
        ...(opts.type ? { type: opts.type } : {}),
        progress: (total) => progressBar(total),
      });
      print(done, `Attached ${done.name} (${done.size} bytes) as ${done.id}.`);
      return;
    }
    case 'attachments': {
      if (!sub) throw usage('attachments needs an item id');
      const list = await Api.open().request<AttachmentList>('GET', `/items/${sub}/attachments`);
      print(
        list,
        list.attachments.length ? list.attachments.map(attachmentLine).join('\n') : 'No attachments.',
      );
      return;
    }
    default:
      throw usage(`unknown command: ${command}`);
  }
}

main().catch((err: unknown) => {
  const e = err instanceof CliError ? err : new CliError((err as Error).message ?? String(err), EXIT.failed);
  if (opts.json)
    process.stderr.write(
      `${JSON.stringify({ error: { message: e.message.split('\n')[0], exit_code: e.code, ...(e.status ? { status: e.status } : {}) } })}\n`,
    );
  else process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = e.code;
});
