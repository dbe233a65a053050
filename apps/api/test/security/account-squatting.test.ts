/**
 * Issue 8, items 6–8: no account squatting through the API. The real API (buildApp) against the real
 * local IdP; the attacker uses the public web client straight at the IdP, as anyone can, and the
 * victim uses the API. Codes come from the IdP's dev mailbox.
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../src/services/cognito/auth.ts';
import { client, mailbox, PASSWORD, PERSON, stable, uniqueEmail } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';
import type { TestIdp } from '../support/index.ts';

const ATTACKER_PASSWORD = 'attacker chosen password';
const member = { email: 'squat-member@example.com', password: 'member password 123' };

let stack: RealStack;
let idp: TestIdp;
let app: FastifyInstance;
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  stack = await startRealStack('squatting', { users: [member] });
  ({ idp, app } = stack);
  sdk = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  sdk?.destroy();
  await stack?.close();
});

/** The attacker's sign-up: the public web client, straight at the IdP (no API in the way). */
async function attackerSignsUp(email: string) {
  await sdk.send(
    new SignUpCommand({
      ClientId: idp.pool.clients.web!.clientId,
      Username: email,
      Password: ATTACKER_PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
}

const status = async (email: string) =>
  (await sdk.send(new AdminGetUserCommand({ UserPoolId: idp.pool.poolId, Username: email }))).UserStatus;
const signupCodes = async (email: string) =>
  (await mailbox(idp, email)).filter((m) => m.kind === 'signup').map((m) => m.code);
const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

describe('security: pre-account-takeover (issue 8 item 6)', () => {
  it("an attacker's unconfirmed sign-up does not reserve the address: the victim's sign-up replaces it", async () => {
    const c = client(app);
    const email = uniqueEmail('victim');
    await attackerSignsUp(email);
    const attackerCodes = await signupCodes(email);
    expect(attackerCodes).toHaveLength(1);

    // The victim signs up through the API: a code is really sent this time, for a new account.
    const reg = await c.post('register', { email, password: PASSWORD, ...PERSON });
    expect(reg.statusCode).toBe(202);
    expect(reg.json()).toEqual({
      message: 'If this address can be registered, a verification code has been sent to it.',
    });
    const codes = await signupCodes(email);
    expect(codes).toHaveLength(2);

    // The code mailed for the attacker's account is dead with it.
    const stale = await c.post('verify-otp', { email, code: attackerCodes[0]!, password: PASSWORD });
    if (attackerCodes[0] !== codes[0]) {
      expect(stale.statusCode).toBe(400);
      expect(stale.json().detail).toBe('The code is invalid or has expired.');
    }
    const confirmed = await c.post('verify-otp', { email, code: codes[0]!, password: PASSWORD });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toEqual({ message: 'The e-mail address is verified; you can sign in.' });

    // The attacker's password opens nothing; the victim's does.
    const attacker = await c.post('login', { email, password: ATTACKER_PASSWORD });
    expect(attacker.statusCode).toBe(401);
    expect(attacker.json().detail).toBe('Incorrect e-mail or password.');
    expect((await c.post('login', { email, password: PASSWORD })).statusCode).toBe(200);
  });

  it("a code confirms only the account of the password sent with it: the attacker's stays unconfirmed", async () => {
    const c = client(app);
    const email = uniqueEmail('mailbox');
    await attackerSignsUp(email);
    const [code] = await signupCodes(email);

    // The mailbox owner uses the unsolicited code with their own password: refused like a wrong code.
    const mismatch = await c.post('verify-otp', { email, code: code!, password: PASSWORD });
    const wrongCode = await c.post('verify-otp', {
      email: uniqueEmail('nobody'),
      code: otherCode(code!),
      password: PASSWORD,
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json().detail).toBe('The code is invalid or has expired.');
    expect(stable(mismatch)).toEqual(stable(wrongCode));
    expect(await status(email)).toBe('UNCONFIRMED');
  });

  it('an attacker who re-registers between sign-up and confirmation gains nothing from the victim confirming', async () => {
    const c = client(app);
    const email = uniqueEmail('race');
    expect((await c.post('register', { email, password: PASSWORD, ...PERSON })).statusCode).toBe(202);
    // The attacker goes through the API too and replaces the victim's pending account.
    const attackerClient = client(app);
    expect(
      (await attackerClient.post('register', { email, password: ATTACKER_PASSWORD, ...PERSON })).statusCode,
    ).toBe(202);
    // The victim asks for a code and uses the newest one, with their password: refused.
    expect((await c.post('request-otp', { email, purpose: 'email_verification' })).statusCode).toBe(202);
    const [newest] = await signupCodes(email);
    const refused = await c.post('verify-otp', { email, code: newest!, password: PASSWORD });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toBe('The code is invalid or has expired.');
    expect(await status(email)).toBe('UNCONFIRMED');
    expect((await attackerClient.post('login', { email, password: ATTACKER_PASSWORD })).statusCode).toBe(403);

    // Signing up again takes the address back.
    expect((await c.post('register', { email, password: PASSWORD, ...PERSON })).statusCode).toBe(202);
    const [mine] = await signupCodes(email);
    expect((await c.post('verify-otp', { email, code: mine!, password: PASSWORD })).statusCode).toBe(200);
    expect((await attackerClient.post('login', { email, password: ATTACKER_PASSWORD })).statusCode).toBe(401);
  });

  it("seed 003's verify-otp body (email, code, purpose; no password) still confirms", async () => {
    const c = client(app);
    const email = uniqueEmail('seed');
    expect((await c.post('register', { email, password: PASSWORD, ...PERSON })).statusCode).toBe(202);
    const [code] = await signupCodes(email);
    const res = await c.post('verify-otp', { email, code: code!, purpose: 'email_verification' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ message: 'The e-mail address is verified; you can sign in.' });
    expect(await status(email)).toBe('CONFIRMED');
  });

  it('register over a confirmed account answers like a fresh one, sends nothing and changes nothing', async () => {
    const c = client(app);
    const fresh = await c.post('register', { email: uniqueEmail('fresh'), password: PASSWORD, ...PERSON });
    const before = (await mailbox(idp, member.email)).length;
    const existing = await c.post('register', {
      email: member.email,
      password: ATTACKER_PASSWORD,
      ...PERSON,
    });
    expect(stable(existing)).toEqual(stable(fresh));
    expect((await mailbox(idp, member.email)).length).toBe(before);
    expect(await status(member.email)).toBe('CONFIRMED');
    expect((await c.post('login', { email: member.email, password: member.password })).statusCode).toBe(200);
  });
});

describe('security: an unverified e-mail change is not the account address (issue 8 item 7)', () => {
  it('neither the login sync nor /users/me take up an address the user has not verified', async () => {
    const c = client(app);
    const email = uniqueEmail('owner');
    expect((await c.post('register', { email, password: PASSWORD, ...PERSON })).statusCode).toBe(202);
    const [code] = await signupCodes(email);
    expect((await c.post('verify-otp', { email, code: code! })).statusCode).toBe(200);
    const first = (await c.post('login', { email, password: PASSWORD })).json();

    // The user changes their address to one they do not own (someone else's) and never verifies it.
    const claimed = uniqueEmail('someone-else');
    await sdk.send(
      new UpdateUserAttributesCommand({
        AccessToken: first.access_token,
        UserAttributes: [{ Name: 'email', Value: claimed }],
      }),
    );
    // A new sign-in (ID token) syncs the profile row (ADR 0043): the verified address stays. (Which
    // address signs in is the IdP's business: with AttributesRequireVerificationBeforeUpdate the old
    // one, without it the new one; either way the API must not take the unverified one up.)
    let signIn = await c.post('login', { email, password: PASSWORD });
    if (signIn.statusCode === 401) signIn = await c.post('login', { email: claimed, password: PASSWORD });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const second = signIn.json();
    const me = await c.get('/users/me', second.access_token);
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe(email);

    // First sight through GetUser (no row yet): the unverified address is not taken up either.
    const { rows } = await stack.db.query<{ sub: string }>('select sub from users where email = $1', [email]);
    expect(rows).toHaveLength(1);
    await stack.db.query('delete from users where sub = $1', [rows[0]!.sub]);
    const fresh = await c.get('/users/me', second.access_token);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().email).not.toBe(claimed);
    expect([email, null]).toContain(fresh.json().email);
    const stored = await stack.db.query('select 1 from users where email = $1', [claimed]);
    expect(stored.rows).toHaveLength(0);
  });
});

describe('security: look-alike addresses are one account (issue 8 item 8)', () => {
  it('the API compares e-mails after NFC, case folding and without the trailing dot of the domain', () => {
    expect(normaliseEmail('Jose\u0301@Example.COM.')).toBe('jos\u00e9@example.com');
    expect(normaliseEmail(' VICTIM@example.com ')).toBe('victim@example.com');
  });

  it('spellings of one address share one per-account rate-limit bucket', async () => {
    const email = uniqueEmail('bucket');
    const spellings = [email, email.toUpperCase(), email.replace(/^./, (ch) => ch.toUpperCase())];
    const answers = [];
    // 10 per account per minute (routes/auth.ts), each from its own address so no per-IP limit applies.
    for (let i = 0; i < 11; i++) {
      answers.push(
        await client(app).post('login', { email: spellings[i % spellings.length]!, password: 'wrong one x' }),
      );
    }
    expect(answers.slice(0, 10).map((r) => r.statusCode)).toEqual(Array(10).fill(401));
    expect(answers[10]!.statusCode).toBe(429);
  });
});
