import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RunningStack, startStack } from '@app/stack';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.ts';

const user = { email: 'cli-pkce@example.com', password: 'correct horse battery' };
let stack: RunningStack;
let dir: string;
let port: number;
let authUrl: string;
let clientId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-pkce-'));
  [stack, port] = await Promise.all([startStack({ web: false, idp: { users: [user] } }), freePort()]);
  authUrl = new URL(stack.idp.pool.oauth.authorizationEndpoint).origin;
  clientId = stack.idp.poolIds.webClientId;
  // The operator registers the CLI's loopback callback on the public client, as on Cognito
  // (UpdateUserPoolClient resets what it is not given, so everything is passed back).
  const sdk = new CognitoIdentityProviderClient({
    region: stack.idp.pool.region,
    endpoint: stack.idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { UserPoolClient: c } = await sdk.send(
    new DescribeUserPoolClientCommand({ UserPoolId: stack.idp.pool.poolId, ClientId: clientId }),
  );
  await sdk.send(
    new UpdateUserPoolClientCommand({
      UserPoolId: stack.idp.pool.poolId,
      ClientId: clientId,
      ExplicitAuthFlows: c!.ExplicitAuthFlows,
      PreventUserExistenceErrors: c!.PreventUserExistenceErrors,
      EnableTokenRevocation: c!.EnableTokenRevocation,
      RefreshTokenValidity: c!.RefreshTokenValidity,
      AccessTokenValidity: c!.AccessTokenValidity,
      IdTokenValidity: c!.IdTokenValidity,
      TokenValidityUnits: c!.TokenValidityUnits,
      AllowedOAuthFlows: c!.AllowedOAuthFlows,
      AllowedOAuthScopes: c!.AllowedOAuthScopes,
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: c!.SupportedIdentityProviders,
      LogoutURLs: c!.LogoutURLs,
      CallbackURLs: [...(c!.CallbackURLs ?? []), `http://localhost:${port}/callback`],
    }),
  );
  sdk.destroy();
});
afterAll(async () => {
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The browser's part, over plain HTTP: the managed login's form filled in, then the redirect followed. */
async function signInAt(authorizeUrl: string): Promise<Response> {
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
  expect(callback.startsWith(`http://localhost:${port}/callback?`)).toBe(true);
  return fetch(callback.replace('localhost', '127.0.0.1'));
}

describe('cognito-stack login --web (authorization code + PKCE on a loopback redirect)', () => {
  it('signs in through the managed login, refreshes at the IdP, and logout revokes the refresh token', async () => {
    const child = spawn(
      BIN,
      ['login', '--web', '--json', '--no-browser', '--api', stack.api!.url!, '--auth-url', authUrl],
      {
        env: {
          ...process.env,
          COGNITO_STACK_CONFIG_DIR: dir,
          COGNITO_STACK_CLIENT_ID: clientId,
          COGNITO_STACK_LOGIN_PORT: String(port),
        },
      },
    );
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
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe(`http://localhost:${port}/callback`);

    const landing = await signInAt(authorizeUrl);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('Signed in');
    expect(await exited, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ signed_in: true, method: 'pkce', email: user.email });

    // Refresh after expiry goes to the IdP's token endpoint with the public client.
    const file = join(dir, 'session.json');
    const before = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...before, expiresAt: Date.now() - 1000 }));
    const me = await runCli(['whoami', '--json'], { configDir: dir });
    expect(me.code, me.stderr).toBe(0);
    expect(me.json()).toMatchObject({ email: user.email });
    expect(JSON.parse(readFileSync(file, 'utf8')).accessToken).not.toBe(before.accessToken);

    const out = await runCli(['logout', '--json'], { configDir: dir });
    expect(out.json()).toEqual({ signed_in: false, ended_at_server: true });
    const refresh = await fetch(new URL('/oauth2/token', authUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: before.refreshToken,
      }),
    });
    expect(refresh.status).toBe(400);
  });
});
