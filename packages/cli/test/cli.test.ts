import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RunningStack, startStack } from '@app/stack';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const PASSWORD = 'correct horse battery';
const alice = { email: 'cli-alice@example.com', password: PASSWORD };
const bob = { email: 'cli-bob@example.com', password: PASSWORD };
const totp = (base32: string, stepsAgo = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(base32), timestamp: Date.now() - stepsAgo * 30_000 });

let stack: RunningStack;
let apiUrl: string;
/** The IdP's clock runs this far from the test's: how a token that has really expired is made. */
let idpSkewMs = 0;
const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `cli-${name}-`));
  dirs.push(dir);
  return dir;
};
const sessionOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8'));

beforeAll(async () => {
  stack = await startStack({ web: false, idp: { users: [alice, bob], clock: () => Date.now() + idpSkewMs } });
  apiUrl = stack.api!.url!;
});
afterAll(async () => {
  await stack?.stop();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Signs in with e-mail and password on standard input, as a script would. */
async function passwordLogin(configDir: string, user = alice, extraStdin = '') {
  return runCli(['login', '--json', '--api', apiUrl, '--email', user.email], {
    configDir,
    stdin: `${user.password}\n${extraStdin}`,
  });
}

describe('cognito-stack (the real binary against the local stack)', () => {
  it('without a session, with an unreadable one, or with the API down: exit 3 or 1 and a clear message, as JSON with --json', async () => {
    const dir = tempDir('none');
    const plain = await runCli(['whoami'], { configDir: dir });
    expect(plain.code).toBe(3);
    expect(plain.stderr).toContain('not signed in: run `cognito-stack login`');
    const json = await runCli(['whoami', '--json'], { configDir: dir });
    expect(JSON.parse(json.stderr)).toEqual({
      error: { message: 'not signed in: run `cognito-stack login`', exit_code: 3 },
    });
    expect((await runCli(['frobnicate'], { configDir: dir })).code).toBe(2);

    // A session file it cannot read: exit 3, naming the file, not a parser's message.
    writeFileSync(join(dir, 'session.json'), '{"accessToken": ');
    const broken = await runCli(['whoami'], { configDir: dir });
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain(
      `the session file ${join(dir, 'session.json')} is not one this CLI wrote`,
    );
    const cleared = await runCli(['logout', '--json'], { configDir: dir });
    expect(cleared.code).toBe(0);
    expect(cleared.json()).toEqual({ signed_in: false, ended_at_server: false });
    expect(readdirSync(dir)).toEqual([]);
    // An API that does not answer: exit 1, naming where it tried.
    const closed = await freePort();
    writeFileSync(
      join(dir, 'session.json'),
      JSON.stringify({
        apiUrl: `http://127.0.0.1:${closed}`,
        method: { kind: 'password', email: alice.email },
        accessToken: 'a',
        idToken: 'i',
        expiresAt: Date.now() + 3600_000,
      }),
    );
    const down = await runCli(['items', 'list', '--json'], { configDir: dir });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stderr).error).toEqual({
      message: `cannot reach http://127.0.0.1:${closed} (ECONNREFUSED)`,
      exit_code: 1,
    });
  });

  it('refuses a wrong password with exit 3', async () => {
    const res = await passwordLogin(tempDir('wrong'), { ...alice, password: 'not the password' });
    expect(res.code).toBe(3);
    expect(JSON.parse(res.stderr).error).toMatchObject({ status: 401, exit_code: 3 });
  });

  it('logs in with e-mail + password, keeps the tokens 0600 in a 0700 folder, answers whoami', async () => {
    const dir = tempDir('login');
    const login = await passwordLogin(dir);
    expect(login.code, login.stderr).toBe(0);
    expect(login.json()).toMatchObject({ signed_in: true, method: 'password', email: alice.email });
    expect(statSync(join(dir, 'session.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(login.stdout + login.stderr).not.toContain(PASSWORD);
    expect(login.stdout + login.stderr).not.toContain(sessionOf(dir).accessToken);

    const me = await runCli(['whoami', '--json'], { configDir: dir });
    expect(me.code).toBe(0);
    expect(me.json()).toMatchObject({ email: alice.email });
    expect((await runCli(['whoami'], { configDir: dir })).stdout).toContain(alice.email);
  });

  it('items add, list, edit, rm with --json, and 4 for a missing or foreign item', async () => {
    const dir = tempDir('items');
    const other = tempDir('items-bob');
    expect((await passwordLogin(dir)).code).toBe(0);
    expect((await passwordLogin(other, bob)).code).toBe(0);

    const added = await runCli(['items', 'add', 'Buy milk', '--description', 'two litres', '--json'], {
      configDir: dir,
    });
    expect(added.code, added.stderr).toBe(0);
    const item = added.json<{ id: string; title: string; done: boolean }>();
    expect(item).toMatchObject({ title: 'Buy milk', done: false });

    const listed = await runCli(['items', 'list', '--json'], { configDir: dir });
    expect(listed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(item.id);
    expect((await runCli(['items', 'list'], { configDir: dir })).stdout).toContain(
      `${item.id}  [ ] Buy milk`,
    );

    const edited = await runCli(['items', 'edit', item.id, '--done', '--title', 'Bought milk', '--json'], {
      configDir: dir,
    });
    expect(edited.code).toBe(0);
    expect(edited.json()).toMatchObject({ id: item.id, title: 'Bought milk', done: true, version: 2 });

    // Bob cannot see, edit or delete it: 404 → exit 4, like a missing one.
    const foreign = await runCli(['items', 'edit', item.id, '--title', 'mine'], { configDir: other });
    expect(foreign.code).toBe(4);
    expect(foreign.stderr).toContain('No such item. (404)');
    expect((await runCli(['items', 'rm', item.id], { configDir: other })).code).toBe(4);
    expect((await runCli(['items', 'edit', item.id], { configDir: dir })).code).toBe(2);
    // A refused request says which field and why, not only that it was invalid.
    const invalid = await runCli(['items', 'rm', 'not-an-id'], { configDir: dir });
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toContain(
      'error: The request is invalid: params/id must match format "uuid" (400)',
    );

    const removed = await runCli(['items', 'rm', item.id, '--json'], { configDir: dir });
    expect(removed.code).toBe(0);
    expect(removed.json()).toEqual({ deleted: item.id });
    expect((await runCli(['items', 'rm', item.id], { configDir: dir })).code).toBe(4);
  });

  it('attach uploads a file with progress, lists it and it downloads; refused types exit 2 or 5', async () => {
    const dir = tempDir('attach');
    expect((await passwordLogin(dir)).code).toBe(0);
    const item = (await runCli(['items', 'add', 'with a file', '--json'], { configDir: dir })).json<{
      id: string;
    }>();
    const file = join(dir, 'notes.txt');
    const text = 'line\n'.repeat(20_000);
    writeFileSync(file, text);

    const attached = await runCli(['attach', item.id, file, '--json'], { configDir: dir });
    expect(attached.code, attached.stderr).toBe(0);
    expect(attached.json()).toMatchObject({
      name: 'notes.txt',
      content_type: 'text/plain',
      size: text.length,
    });
    expect(attached.stderr).toContain(`uploaded 100% (${text.length}/${text.length} bytes)`);

    const list = await runCli(['attachments', item.id, '--json'], { configDir: dir });
    const [only] = list.json<{ attachments: { download_url: string }[] }>().attachments;
    expect(await (await fetch(only!.download_url)).text()).toBe(text);

    const html = join(dir, 'page.html');
    writeFileSync(html, '<script>alert(1)</script>');
    const unknown = await runCli(['attach', item.id, html], { configDir: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('pass --type');
    const refused = await runCli(['attach', item.id, html, '--type', 'text/html'], { configDir: dir });
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('(415)');
  });

  it('refreshes an expiring access token on its own, and one the API refuses as expired (401)', async () => {
    const dir = tempDir('refresh');
    expect((await passwordLogin(dir)).code).toBe(0);
    const before = sessionOf(dir);
    writeFileSync(join(dir, 'session.json'), JSON.stringify({ ...before, expiresAt: Date.now() - 1000 }));
    const me = await runCli(['whoami', '--json'], { configDir: dir });
    expect(me.code, me.stderr).toBe(0);
    const after = sessionOf(dir);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
    expect(statSync(join(dir, 'session.json')).mode & 0o777).toBe(0o600);

    // An access token that really has expired (issued two hours ago by the IdP's clock) while the
    // session file still says it is good: the API refuses it (401), the CLI refreshes once and retries.
    idpSkewMs = -2 * 3600_000;
    let minted: { access_token: string; refresh_token?: string };
    try {
      const res = await fetch(`${apiUrl}/api/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: after.refreshToken, email: alice.email }),
      });
      expect(res.status).toBe(200);
      minted = (await res.json()) as typeof minted;
    } finally {
      idpSkewMs = 0;
    }
    const expired = await fetch(`${apiUrl}/api/v1/users/me`, {
      headers: { authorization: `Bearer ${minted.access_token}` },
    });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/expired/i);
    writeFileSync(
      join(dir, 'session.json'),
      JSON.stringify({
        ...after,
        accessToken: minted.access_token,
        refreshToken: minted.refresh_token ?? after.refreshToken,
        expiresAt: Date.now() + 3600_000,
      }),
    );
    const listed = await runCli(['items', 'list', '--json'], { configDir: dir });
    expect(listed.code, listed.stderr).toBe(0);
    const renewed = sessionOf(dir).accessToken as string;
    expect(renewed).not.toBe(minted.access_token);
    const exp = JSON.parse(Buffer.from(renewed.split('.')[1]!, 'base64url').toString()).exp as number;
    expect(exp * 1000).toBeGreaterThan(Date.now());
    // Each refresh replaced the file whole (written aside, renamed): nothing else is left in the folder.
    expect(readdirSync(dir)).toEqual(['session.json']);
  });

  it('answers the MFA step: password, then the authenticator code, both on stdin', async () => {
    // Bob turns on an authenticator app through the API.
    const signIn = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: bob.email, password: bob.password }),
    });
    const { access_token } = (await signIn.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' };
    const setup = await fetch(`${apiUrl}/api/v1/users/me/mfa/totp`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    const { secret_code } = (await setup.json()) as { secret_code: string };
    const verified = await fetch(`${apiUrl}/api/v1/users/me/mfa/totp/verify`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ code: totp(secret_code, 1) }),
    });
    expect(verified.status).toBe(200);

    const dir = tempDir('mfa');
    const wrong = await passwordLogin(dir, bob, '000000\n');
    expect(wrong.code).toBe(3);
    const login = await passwordLogin(dir, bob, `${totp(secret_code)}\n`);
    expect(login.code, login.stderr).toBe(0);
    expect(login.json()).toMatchObject({ signed_in: true, email: bob.email });
  });

  it('logout ends the session at the server and forgets it', async () => {
    const dir = tempDir('logout');
    expect((await passwordLogin(dir)).code).toBe(0);
    const { refreshToken } = sessionOf(dir);
    const out = await runCli(['logout', '--json'], { configDir: dir });
    expect(out.code).toBe(0);
    expect(out.json()).toEqual({ signed_in: false, ended_at_server: true });
    expect((await runCli(['whoami'], { configDir: dir })).code).toBe(3);
    const refresh = await fetch(`${apiUrl}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken, email: alice.email }),
    });
    expect(refresh.status).toBe(401);
  });
});
