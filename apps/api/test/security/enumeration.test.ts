/**
 * Issue 8, item 9: the API's traffic to Cognito must not say whether an account exists. The real API
 * against the real local IdP, through a real AWS SDK client that records each command it sends (what
 * an observer of the upstream calls, or of their timing, could tell apart), and an answer floor whose
 * clock and sleep are injected so the test sees the wait without measuring time (ADR 0073).
 */
import {
  AdminDisableUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { client, PERSON, stable, uniqueEmail } from '../auth-flows/helpers.ts';
import { type RealStack, startRealStack } from '../auth-flows/real-stack.ts';
import { type CountedCognito, countedCognito, type TestIdp } from '../support/index.ts';

const FLOOR_MS = 60_000;
const known = { email: 'enum-known@example.com', password: 'known password 123' };
const fresh = { email: 'enum-fresh@example.com', password: 'fresh password 123' };
const disabled = { email: 'enum-disabled@example.com', password: 'disabled password 1' };
const locked = { email: 'enum-locked@example.com', password: 'locked password 12' };

let stack: RealStack;
let idp: TestIdp;
let app: FastifyInstance;
let counted: CountedCognito;
let sdk: CognitoIdentityProviderClient;
/** Every wait the answer floor asked for. */
const waits: number[] = [];

beforeAll(async () => {
  stack = await startRealStack('enumeration', {
    users: [known, fresh, disabled, locked],
    auth: (started) => {
      counted = countedCognito(started);
      return {
        cognito: counted.client,
        authOptions: {
          floor: {
            ms: FLOOR_MS,
            // A clock that never moves: every floored answer must wait the whole floor.
            now: () => 0,
            sleep: async (ms) => {
              waits.push(ms);
            },
          },
        },
      };
    },
  });
  ({ idp, app } = stack);
  sdk = new CognitoIdentityProviderClient({
    region: idp.pool.region,
    endpoint: idp.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await sdk.send(new AdminDisableUserCommand({ UserPoolId: idp.pool.poolId, Username: disabled.email }));
});
afterAll(async () => {
  sdk?.destroy();
  await stack?.close();
  counted?.client.destroy();
});
beforeEach(() => {
  waits.length = 0;
});

/** The upstream commands one request made. */
async function upstream<T>(request: () => Promise<T>): Promise<{ answer: T; calls: string[] }> {
  counted.calls.length = 0;
  const answer = await request();
  return { answer, calls: [...counted.calls] };
}

describe('security: /auth/refresh makes the same upstream calls for known and unknown accounts', () => {
  it('unknown e-mail, known e-mail seen at login, known e-mail never seen: same calls, same answer', async () => {
    const c = client(app);
    // `known` signs in through the API once, so the API has a profile row for it.
    expect((await c.post('login', known)).statusCode).toBe(200);
    const bogus = 'not-a-refresh-token';
    const outcomes = [];
    for (const email of [uniqueEmail('ghost'), known.email, fresh.email]) {
      outcomes.push(await upstream(() => client(app).post('refresh', { refresh_token: bogus, email })));
    }
    for (const { answer, calls } of outcomes) {
      expect(answer.statusCode).toBe(401);
      expect(answer.json().detail).toBe('The refresh token is invalid, expired or revoked.');
      expect(calls).toEqual(['AdminGetUser', 'InitiateAuth']);
    }
    expect(stable(outcomes[0]!.answer)).toEqual(stable(outcomes[1]!.answer));
    expect(stable(outcomes[0]!.answer)).toEqual(stable(outcomes[2]!.answer));
    // Every refusal waited for the floor.
    expect(waits).toEqual([FLOOR_MS, FLOOR_MS, FLOOR_MS]);
  });

  it('a valid refresh still works (and is not held back)', async () => {
    const c = client(app);
    const tokens = (await c.post('login', fresh)).json();
    waits.length = 0;
    const { answer, calls } = await upstream(() =>
      c.post('refresh', { refresh_token: tokens.refresh_token, email: fresh.email }),
    );
    expect(answer.statusCode, answer.body).toBe(200);
    expect(calls).toEqual(['AdminGetUser', 'InitiateAuth']);
    expect(waits).toEqual([]);
  });

  it('refresh has a per-account limit: many addresses cannot hammer one account', async () => {
    const email = uniqueEmail('hammered');
    const codes = [];
    for (let i = 0; i < 21; i++)
      codes.push((await client(app).post('refresh', { refresh_token: `bogus-${i}`, email })).statusCode);
    expect(codes.slice(0, 20)).toEqual(Array(20).fill(401));
    const limited = await client(app).post('refresh', {
      refresh_token: 'bogus-x',
      email: email.toUpperCase(),
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toEqual(expect.any(String));
    expect(limited.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
  });
});

describe('security: /auth/login answers every failure at the same floor', () => {
  it('unknown, wrong password, disabled and locked: one answer, each held to the floor', async () => {
    // Lock `locked` the way an attacker would: wrong passwords until the IdP locks it (a few seconds
    // after the seventh; it is the first case tried below).
    for (let i = 0; i < 7; i++)
      expect(
        (await client(app).post('login', { email: locked.email, password: `wrong ${i} xx` })).statusCode,
      ).toBe(401);
    const cases = {
      locked,
      unknown: { email: uniqueEmail('nobody'), password: 'some password 1' },
      wrongPassword: { email: known.email, password: 'wrong password 1' },
      disabled,
    };
    const results: Record<
      string,
      { answer: Awaited<ReturnType<ReturnType<typeof client>['post']>>; calls: string[] }
    > = {};
    for (const [name, body] of Object.entries(cases)) {
      waits.length = 0;
      results[name] = await upstream(() => client(app).post('login', body));
      expect(results[name]!.answer.statusCode, name).toBe(401);
      expect(waits, name).toEqual([FLOOR_MS]);
    }
    for (const { answer } of Object.values(results)) {
      expect(answer.json().detail).toBe('Incorrect e-mail or password.');
      expect(stable(answer)).toEqual(stable(results.unknown!.answer));
    }
    // What the floor hides (not asserted: the IdP's own decoy work may change it): today disabled and
    // locked accounts fail at the first SRP step, unknown ones and wrong passwords at the second.
  });

  it('a successful login is not held back', async () => {
    const { answer } = await upstream(() => client(app).post('login', known));
    expect(answer.statusCode).toBe(200);
    expect(waits).toEqual([]);
  });
});

describe('security: register and request-otp answer every outcome at the floor', () => {
  it('new address, confirmed account: same answer, both held to the floor', async () => {
    const a = await client(app).post('register', {
      email: uniqueEmail('new'),
      password: 'new password 1234',
      ...PERSON,
    });
    const b = await client(app).post('register', {
      email: known.email,
      password: 'other password 12',
      ...PERSON,
    });
    expect(stable(a)).toEqual(stable(b));
    const r1 = await client(app).post('request-otp', { email: known.email, purpose: 'password_reset' });
    const r2 = await client(app).post('request-otp', { email: uniqueEmail('x'), purpose: 'password_reset' });
    expect(stable(r1)).toEqual(stable(r2));
    expect(waits).toEqual([FLOOR_MS, FLOOR_MS, FLOOR_MS, FLOOR_MS]);
  });
});
