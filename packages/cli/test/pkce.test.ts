import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_CALLBACK_URL } from '@app/pool-definition';
import { type RunningStack, startStack } from '@app/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.ts';

// The pool definition's CLI client (ADR 0197): public, code + PKCE, one fixed loopback callback. The
// CLI finds it with no flags: from the local IdP's bootstrap.json (DATA_DIR, as `npm start` keeps
// it) or from a site's config.json (--web-url, how a deployed stack is reached).
const user = { email: 'cli-pkce@example.com', password: 'correct horse battery' };
let stack: RunningStack;
const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `cli-${name}-`));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  stack = await startStack({ idp: { users: [user] } });
});
afterAll(async () => {
  await stack?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The browser's part, over plain HTTP: the managed login's form filled in, then the redirect followed. */
async function signInAt(authorizeUrl: string): Promise<Response> {
  const authUrl = new URL(authorizeUrl).origin;
  const cookies = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, authUrl), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as object), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return res;
  };
  const login = await go(authorizeUrl);
  expect(login.status).toBe(302);
  const page = await (await go(login.headers.get('location')!)).text();
  const action = /<form method="post" action="([^"]+)"/.exec(page)![1]!.replace(/&amp;/g, '&');
  const fields: Record<string, string> = { username: user.email, password: user.password };
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[m[1]!] ??= m[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  const done = await go(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  expect(done.status).toBe(302);
  const callback = done.headers.get('location')!;
  expect(callback.startsWith(`${CLI_CALLBACK_URL}?`)).toBe(true);
  return fetch(callback.replace('localhost', '127.0.0.1'));
}

/** Starts `login --web` as a user would; resolves with the sign-in page it prints and its exit. */
async function startWebLogin(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(BIN, ['login', '--web', '--json', '--no-browser', ...args], {
    env: { ...process.env, COGNITO_STACK_LOGIN_PORT: '', COGNITO_STACK_API_URL: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => child.on('close', r));
  const authorizeUrl = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const url = /^(http\S+\/oauth2\/authorize\?\S+)$/m.exec(stderr)?.[1];
      if (url) resolve(url);
    });
    child.on('close', () => reject(new Error(`exited before printing the sign-in page: ${stderr}`)));
  });
  return { authorizeUrl, exited, out: () => ({ stdout, stderr }) };
}

describe('cognito-stack login --web (authorization code + PKCE on a loopback redirect)', () => {
  it("finds the local IdP's CLI client with no flags, refreshes at the IdP, and logout revokes", async () => {
    const dir = tempDir('pkce-local');
    const login = await startWebLogin(['--api', stack.api!.url!], {
      COGNITO_STACK_CONFIG_DIR: dir,
      DATA_DIR: stack.dataDir,
    });
    const url = new URL(login.authorizeUrl);
    expect(url.origin).toBe(stack.idp.url);
    expect(url.searchParams.get('client_id')).toBe(stack.idp.poolIds.cliClientId);
    expect(url.searchParams.get('client_id')).not.toBe(stack.idp.poolIds.webClientId);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(CLI_CALLBACK_URL);

    const landing = await signInAt(login.authorizeUrl);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in');
    expect(await login.exited, login.out().stderr).toBe(0);
    expect(JSON.parse(login.out().stdout)).toMatchObject({
      signed_in: true,
      method: 'pkce',
      email: user.email,
    });

    // Refresh after expiry goes to the IdP's token endpoint with the public client.
    const file = join(dir, 'session.json');
    const before = JSON.parse(readFileSync(file, 'utf8'));
    expect(before.method.clientId).toBe(stack.idp.poolIds.cliClientId);
    writeFileSync(file, JSON.stringify({ ...before, expiresAt: Date.now() - 1000 }));
    const me = await runCli(['whoami', '--json'], { configDir: dir });
    expect(me.code, me.stderr).toBe(0);
    expect(me.json()).toMatchObject({ email: user.email });
    expect(JSON.parse(readFileSync(file, 'utf8')).accessToken).not.toBe(before.accessToken);

    const out = await runCli(['logout', '--json'], { configDir: dir });
    expect(out.json()).toEqual({ signed_in: false, ended_at_server: true });
    const refresh = await fetch(new URL('/oauth2/token', stack.idp.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: before.method.clientId,
        refresh_token: before.refreshToken,
      }),
    });
    expect(refresh.status).toBe(400);
  });

  it("finds the managed login, the CLI client and the API in the web app's config.json (--web-url)", async () => {
    const dir = tempDir('pkce-site');
    // No local IdP data where the CLI looks: only the site can answer.
    const login = await startWebLogin(['--web-url', stack.web!.url], {
      COGNITO_STACK_CONFIG_DIR: dir,
      DATA_DIR: tempDir('no-idp'),
    });
    expect(new URL(login.authorizeUrl).searchParams.get('client_id')).toBe(stack.web!.config.cliClientId);
    expect((await signInAt(login.authorizeUrl)).status).toBe(200);
    expect(await login.exited, login.out().stderr).toBe(0);
    expect(JSON.parse(login.out().stdout)).toMatchObject({
      signed_in: true,
      method: 'pkce',
      api_url: stack.api!.url,
      email: user.email,
    });
  });

  it('says where it looked when nothing names the managed login (exit 2)', async () => {
    const empty = tempDir('nowhere');
    const res = await runCli(['login', '--web', '--json', '--no-browser'], {
      configDir: empty,
      env: {
        DATA_DIR: empty,
        COGNITO_STACK_AUTH_URL: '',
        COGNITO_STACK_CLIENT_ID: '',
        COGNITO_STACK_WEB_URL: '',
      },
    });
    expect(res.code).toBe(2);
    expect(JSON.parse(res.stderr).error.message).toContain('pass --web-url <the web app>');
    expect(res.stderr).toContain(join(empty, 'idp', 'bootstrap.json'));
  });
});
