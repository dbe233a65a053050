/**
 * Seed 003's client, as a new user would try it (issue 9 item 3, ADR 0107): its curl examples are read
 * from the seed file at test time and run with the real `curl` binary against the API listening on
 * loopback, wired to the local IdP, Postgres and Redis. Only the host/port and what a real user types
 * (their password, the code from the verification e-mail in the IdP's dev mailbox) are substituted.
 * The seed is kept verbatim in docs/seeds/003.txt (SEED_003_FILE points elsewhere), so the test
 * runs on every clone.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCode, mailbox, PASSWORD } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';

const run = promisify(execFile);

function seedFile(): string | undefined {
  if (process.env.SEED_003_FILE) return process.env.SEED_003_FILE;
  const file = join(import.meta.dirname, '../../../../docs/seeds/003.txt');
  return existsSync(file) ? file : undefined;
}

interface Example {
  /** The curl command as the seed writes it, continuation lines joined. */
  command: string;
  /** `# Response: ...` below it, without the comment marks. */
  response: string;
}

/** The ```bash blocks of the seed's Testing section: a curl command, then its commented response. */
function examples(text: string): Example[] {
  const testing = text.slice(text.indexOf('Testing'));
  return [...testing.matchAll(/```bash\n([\s\S]*?)```/g)].map(([, block]) => {
    const lines = block!.split('\n');
    const commandLines = lines.filter((l) => !l.startsWith('#') && l.trim() !== '');
    const response = lines
      .filter((l) => l.startsWith('#'))
      .map((l) => l.replace(/^#\s?/, ''))
      .join('\n')
      .replace(/^Response:\s*/, '');
    return { command: commandLines.join('\n').replace(/\\\n/g, ' '), response };
  });
}

/** `"key": value` pairs of the seed's response comment; "..." stands for any value. */
function documentedFields(response: string): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [, key, raw] of response.matchAll(/"(\w+)":\s*("[^"]*"|[\d.]+|true|false)/g))
    fields.set(key!, raw === '"..."' ? undefined : JSON.parse(raw!));
  return fields;
}

const file = seedFile();

describe.skipIf(!file)(`seed 003's curl examples (${file ?? 'seed file not found: skipped'})`, () => {
  let stack: RealStack;
  let base: string;
  let seed: { register: Example; verify: Example; login: Example };

  /** Runs a command with the real curl binary through a shell, as a user pastes it; status + JSON. */
  async function curl(command: string) {
    const withBase = command.replaceAll('http://localhost:8001', base);
    expect(withBase).not.toBe(command);
    const { stdout } = await run('bash', ['-c', `${withBase} -sS -w '\\n%{http_code}'`]);
    const cut = stdout.lastIndexOf('\n');
    return {
      status: Number(stdout.slice(cut + 1)),
      body: JSON.parse(stdout.slice(0, cut)) as Record<string, unknown>,
    };
  }

  beforeAll(async () => {
    const found = examples(readFileSync(file!, 'utf8'));
    const by = (path: string) => found.find((e) => e.command.includes(`/api/v1/auth/${path}`))!;
    seed = { register: by('register'), verify: by('verify-otp'), login: by('login') };
    for (const e of Object.values(seed)) expect(e.command).toMatch(/^curl -X POST /);
    stack = await startRealStack('seed003', { users: [] });
    base = await stack.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => stack?.close());

  const email = 'test@example.com';
  const seedPassword = 'Test123456';

  it("refuses the seed's own password with the pool's policy, and sends nothing", async () => {
    // Verbatim but for the host: 10 characters, under the pool's 12 (ADR 0004).
    const res = await curl(seed.register.command);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/at least 12 characters/);
    expect(await mailbox(stack.idp, email)).toEqual([]);
  });

  it('refuses accept_terms: false with a clear error, and creates nothing', async () => {
    const command = seed.register.command
      .replace(seedPassword, PASSWORD)
      .replace('"accept_terms": true', '"accept_terms": false');
    const res = await curl(command);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      detail: 'Registration needs the terms of service accepted: send "accept_terms": true.',
      errors: [{ path: 'body/accept_terms', message: 'must be true' }],
    });
    expect(await mailbox(stack.idp, email)).toEqual([]);
    expect((await stack.db.query('select count(*)::int as n from users')).rows[0]).toEqual({ n: 0 });
  });

  it('register → the code from the dev mailbox → verify-otp → login, with the answers the seed shows', async () => {
    const registered = await curl(seed.register.command.replace(seedPassword, PASSWORD));
    expect(registered.status, JSON.stringify(registered.body)).toBe(202);
    expect(Object.keys(registered.body)).toEqual([...documentedFields(seed.register.response).keys()]);

    const code = await latestCode(stack.idp, email, 'signup');
    expect(seed.verify.command).toContain('"purpose": "email_verification"');
    const verified = await curl(seed.verify.command.replace('"123456"', `"${code}"`));
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(Object.keys(verified.body)).toEqual([...documentedFields(seed.verify.response).keys()]);

    const login = await curl(seed.login.command.replace(seedPassword, PASSWORD));
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const documented = documentedFields(seed.login.response);
    expect(Object.keys(login.body).sort()).toEqual([...documented.keys()].sort());
    // Literal values of the seed (token_type "Bearer", expires_in 3600) are ours too.
    for (const [key, value] of documented)
      if (value !== undefined) expect(login.body[key], key).toEqual(value);

    // The names and the acceptance are on the user's record: the pool's attributes and the Postgres row.
    const idClaims = JSON.parse(
      Buffer.from(String(login.body.id_token).split('.')[1]!, 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(idClaims).toMatchObject({ given_name: 'Test', family_name: 'User', name: 'Test User', email });
    const { rows } = await stack.db.query<Record<string, unknown>>(
      'select email, first_name, last_name, terms_accepted_at from users where sub = $1',
      [idClaims.sub],
    );
    expect(rows).toEqual([
      { email, first_name: 'Test', last_name: 'User', terms_accepted_at: expect.any(Date) },
    ]);
    const me = await stack.app.inject({
      url: '/api/v1/users/me',
      headers: { authorization: `Bearer ${login.body.access_token}` },
    });
    expect(me.json()).toMatchObject({
      email,
      first_name: 'Test',
      last_name: 'User',
      terms_accepted_at: expect.any(String),
    });
  });

  it('resets the password as seed 003 describes: request-otp and verify-otp with purpose password_reset', async () => {
    const post = (path: string, payload: object) =>
      stack.app.inject({ method: 'POST', url: `/api/v1/auth/${path}`, payload, remoteAddress: '10.3.0.1' });
    expect((await post('request-otp', { email, purpose: 'password_reset' })).statusCode).toBe(202);
    const code = await latestCode(stack.idp, email, 'reset');
    const withoutPassword = await post('verify-otp', { email, code, purpose: 'password_reset' });
    expect(withoutPassword.statusCode).toBe(400);
    expect(withoutPassword.json()).toMatchObject({
      detail: 'A password reset needs the new password: send "new_password" with the code.',
      errors: [{ path: 'body/new_password', message: 'is required' }],
    });
    const newPassword = 'a different long passphrase';
    const reset = await post('verify-otp', {
      email,
      code,
      purpose: 'password_reset',
      new_password: newPassword,
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await post('login', { email, password: PASSWORD })).statusCode).toBe(401);
    expect((await post('login', { email, password: newPassword })).statusCode).toBe(200);
  });
});
