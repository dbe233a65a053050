import {
  AdminInitiateAuthCommand,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkKind } from '../src/context.ts';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

// ADR 0079: an attempt is counted before its (asynchronous) password check, so a burst of parallel
// guesses gets at most the five free failures evaluated; the rest are refused without a check.

let t: TestIdp;
const work: Record<WorkKind, number> = { commit: 0, 'password-check': 0, 'srp-verify': 0 };
const users = Array.from({ length: 4 }, (_, i) => uniqueEmail(`burst${i}`));
let adminClientId: string;

beforeAll(async () => {
  t = await startTestIdp({
    users: users.map((email) => ({ email, password: poolPassword })),
    onWork: (kind) => {
      work[kind]++;
    },
  });
  const client = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: t.idp.pool.poolId,
      ClientName: 'burst-admin',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  adminClientId = client.UserPoolClient!.ClientId!;
});
afterAll(() => t.close());

const burst = 40;

/** Fires `n` calls at once; returns each refusal as "status name: message" and the checks done. */
async function fire(kind: WorkKind, call: () => Promise<unknown>, n = burst) {
  const before = work[kind];
  const answers = await Promise.all(
    Array.from({ length: n }, () =>
      call().then(
        () => 'accepted',
        (e: { name?: string; code?: string; message: string; $metadata?: { httpStatusCode?: number } }) =>
          `${e.$metadata?.httpStatusCode ?? 400} ${e.code ?? e.name}: ${e.message}`,
      ),
    ),
  );
  const tally: Record<string, number> = {};
  for (const a of answers) tally[a] = (tally[a] ?? 0) + 1;
  return { tally, checks: work[kind] - before };
}

const capped = (n = burst) => ({
  '400 NotAuthorizedException: Incorrect username or password.': 5,
  '400 NotAuthorizedException: Password attempts exceeded': n - 5,
});

const passwordAuth = (email: string, password: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: t.secretHash(email) },
    }),
  );

describe('lockout counts each attempt before checking the password', () => {
  it('40 parallel wrong ChangePassword calls: 5 are evaluated, 35 refused as locked out', async () => {
    const email = users[0]!;
    const signedIn = await passwordAuth(email, poolPassword);
    const AccessToken = signedIn.AuthenticationResult!.AccessToken!;
    const change = (previous: string) =>
      t.cognito.send(
        new ChangePasswordCommand({
          AccessToken,
          PreviousPassword: previous,
          ProposedPassword: 'a brand new passphrase',
        }),
      );
    const { tally, checks } = await fire('password-check', () => change('not the password'));
    expect(tally).toEqual(capped());
    expect(checks).toBe(5);
    // Locked: even the right password is refused until the lock runs out (1 s after the fifth failure).
    const locked = await change(poolPassword).catch((e) => e);
    expect(locked.name).toBe('NotAuthorizedException');
    expect(locked.message).toBe('Password attempts exceeded');
    t.clock.advance(1001);
    await change(poolPassword);
    await passwordAuth(email, 'a brand new passphrase');
  });

  it('40 parallel wrong USER_PASSWORD_AUTH sign-ins: 5 scrypt checks', async () => {
    const email = users[1]!;
    const { tally, checks } = await fire('password-check', () => passwordAuth(email, 'not the password'));
    expect(tally).toEqual(capped());
    expect(checks).toBe(5);
  });

  it('40 parallel wrong ADMIN_USER_PASSWORD_AUTH sign-ins: 5 scrypt checks', async () => {
    const email = users[2]!;
    const { tally, checks } = await fire('password-check', () =>
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientId: adminClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: 'not the password' },
        }),
      ),
    );
    expect(tally).toEqual(capped());
    expect(checks).toBe(5);
  });

  it('8 parallel wrong SRP sign-ins (amazon-cognito-identity-js): 5 claim checks', {
    timeout: 180_000,
  }, async () => {
    // Fewer: the library's client-side SRP math is slow JavaScript.
    const email = users[3]!;
    const { tally, checks } = await fire(
      'srp-verify',
      () => libraryAuthenticate(t.idp.url, t.idp.pool.poolId, t.web.clientId, email, 'not the password'),
      8,
    );
    expect(tally).toEqual(capped(8));
    expect(checks).toBe(5);
  });
});
