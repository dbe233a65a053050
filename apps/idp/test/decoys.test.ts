import { startClientSession } from '@app/cognito-srp';
import {
  AdminInitiateAuthCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkKind } from '../src/context.ts';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

// ADR 0079: for an unknown user, every client-facing answer does the work a real user's does (the
// same commits, scrypt checks and SRP claim checks), so neither timing nor load tells them apart; and
// the decoy USER_ID_FOR_SRP has the form of a real sub. Work is counted through the IdP's onWork hook.

let t: TestIdp;
const work: Record<WorkKind, number> = { commit: 0, 'password-check': 0, 'srp-verify': 0 };
const known = uniqueEmail('decoy-known');
let adminClientId: string;

beforeAll(async () => {
  t = await startTestIdp({
    users: [{ email: known, password: poolPassword }],
    onWork: (kind) => {
      work[kind]++;
    },
  });
  const client = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: t.idp.pool.poolId,
      ClientName: 'decoy-admin',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  adminClientId = client.UserPoolClient!.ClientId!;
});
afterAll(() => t.close());

/** Runs `call`, returning its error (or result) and the work the IdP did meanwhile. */
async function measured<T>(call: () => Promise<T>) {
  const before = { ...work };
  const outcome = await call().then(
    (value) => ({ ok: true as const, value }),
    (err: { name?: string; code?: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({
      ok: false as const,
      name: err.code ?? err.name,
      message: err.message,
      status: err.$metadata?.httpStatusCode,
    }),
  );
  const spent = Object.fromEntries(
    (Object.keys(work) as WorkKind[]).map((k) => [k, work[k] - before[k]]),
  ) as Record<WorkKind, number>;
  return { outcome, spent };
}

async function unconfirmedUser() {
  const email = uniqueEmail('decoy-unconfirmed');
  await t.cognito.send(
    new SignUpCommand({ ClientId: t.web.clientId, Username: email, Password: poolPassword }),
  );
  return email;
}

const passwordAuth = (username: string, password: string) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.backend.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: t.secretHash(username) },
    }),
  );

describe('decoy answers do the same work as real ones', () => {
  it('USER_PASSWORD_AUTH: one scrypt check and one commit, known user (wrong password) or unknown', async () => {
    const real = await measured(() => passwordAuth(known, 'a wrong passphrase'));
    const decoy = await measured(() => passwordAuth(uniqueEmail('nobody'), 'a wrong passphrase'));
    const refused = {
      ok: false,
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
      status: 400,
    };
    expect(real.outcome).toEqual(refused);
    expect(decoy.outcome).toEqual(refused);
    expect(real.spent).toEqual({ commit: 1, 'password-check': 1, 'srp-verify': 0 });
    expect(decoy.spent).toEqual(real.spent);
  });

  it('ADMIN_USER_PASSWORD_AUTH: the same work for an unknown user', async () => {
    const adminAuth = (username: string) =>
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientId: adminClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: 'a wrong passphrase' },
        }),
      );
    const real = await measured(() => adminAuth(known));
    const decoy = await measured(() => adminAuth(uniqueEmail('nobody')));
    expect(real.outcome).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(decoy.outcome).toEqual(real.outcome);
    expect(decoy.spent).toEqual(real.spent);
    expect(decoy.spent).toEqual({ commit: 1, 'password-check': 1, 'srp-verify': 0 });
  });

  it('SRP (amazon-cognito-identity-js): the decoy claim is verified and committed like a wrong password', {
    timeout: 180_000,
  }, async () => {
    const srp = (email: string) =>
      libraryAuthenticate(t.idp.url, t.idp.pool.poolId, t.web.clientId, email, 'a wrong passphrase');
    const real = await measured(() => srp(known));
    const decoy = await measured(() => srp(uniqueEmail('nobody')));
    expect(real.outcome).toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    expect(decoy.outcome).toEqual(real.outcome);
    expect(real.spent).toEqual({ commit: 1, 'password-check': 0, 'srp-verify': 1 });
    expect(decoy.spent).toEqual(real.spent);
  });

  it('ForgotPassword: the same delivery shape and one commit for an unknown user', async () => {
    const forgot = (email: string) =>
      t.cognito.send(new ForgotPasswordCommand({ ClientId: t.web.clientId, Username: email }));
    const nobody = uniqueEmail('nobody');
    const real = await measured(() => forgot(known));
    const decoy = await measured(() => forgot(nobody));
    // The destination is the masked address as typed: n***@e*** for nobody..., d***@e*** for decoy-known...
    const delivery = (typed: string) => ({
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
      Destination: `${typed[0]}***@e***`,
    });
    expect(real.outcome).toEqual({
      ok: true,
      value: expect.objectContaining({ CodeDeliveryDetails: delivery(known) }),
    });
    expect(decoy.outcome).toEqual({
      ok: true,
      value: expect.objectContaining({ CodeDeliveryDetails: delivery(nobody) }),
    });
    expect(real.spent).toEqual({ commit: 1, 'password-check': 0, 'srp-verify': 0 });
    expect(decoy.spent).toEqual(real.spent);
  });

  it('ResendConfirmationCode: one commit for an unknown user too', async () => {
    const resend = (email: string) =>
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: t.web.clientId, Username: email }));
    const real = await measured(async () => resend(await unconfirmedUser()));
    const decoy = await measured(() => resend(uniqueEmail('nobody')));
    expect(real.outcome).toMatchObject({
      ok: true,
      value: { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } },
    });
    expect(decoy.outcome).toMatchObject({
      ok: true,
      value: { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL' } },
    });
    // The real call includes the sign-up's own commit; one more for the resend itself.
    expect(decoy.spent).toEqual({ commit: 1, 'password-check': 0, 'srp-verify': 0 });
    expect(real.spent.commit).toBe(2);
  });

  it('ConfirmSignUp with a wrong code: CodeMismatchException and one commit either way', async () => {
    const email = await unconfirmedUser();
    const confirm = (username: string) =>
      t.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: t.web.clientId,
          Username: username,
          ConfirmationCode: '000000',
        }),
      );
    const real = await measured(() => confirm(email));
    const decoy = await measured(() => confirm(uniqueEmail('nobody')));
    const mismatch = {
      ok: false,
      name: 'CodeMismatchException',
      message: 'Invalid verification code provided, please try again.',
      status: 400,
    };
    expect(real.outcome).toEqual(mismatch);
    expect(decoy.outcome).toEqual(mismatch);
    expect(decoy.spent).toEqual(real.spent);
    expect(decoy.spent.commit).toBe(1);
  });

  it('ConfirmForgotPassword: a weak password and a wrong code answer alike for known and unknown users', async () => {
    const reset = (username: string, password: string) =>
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: t.web.clientId,
          Username: username,
          ConfirmationCode: '000000',
          Password: password,
        }),
      );
    const nobody = uniqueEmail('nobody');
    const weakReal = await measured(() => reset(known, 'short'));
    const weakDecoy = await measured(() => reset(nobody, 'short'));
    expect(weakReal.outcome).toMatchObject({ name: 'InvalidPasswordException' });
    expect(weakDecoy.outcome).toEqual(weakReal.outcome);
    const real = await measured(() => reset(known, 'another long passphrase'));
    const decoy = await measured(() => reset(nobody, 'another long passphrase'));
    expect(real.outcome).toMatchObject({ name: 'CodeMismatchException' });
    expect(decoy.outcome).toEqual(real.outcome);
    expect(decoy.spent).toEqual(real.spent);
    expect(decoy.spent.commit).toBe(1);
  });
});

describe('decoy USER_ID_FOR_SRP values look like real subs', () => {
  const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const { A } = startClientSession();
  const srpStart = (username: string) =>
    t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.web.clientId,
        AuthFlow: 'USER_SRP_AUTH',
        AuthParameters: { USERNAME: username, SRP_A: A },
      }),
    );

  it('are version-4 UUIDs whose variant nibble spreads over 8, 9, a and b like random ones', {
    timeout: 180_000,
  }, async () => {
    const samples = 240;
    const ids: string[] = [];
    for (let i = 0; i < samples; i++) {
      const out = await srpStart(uniqueEmail(`unknown${i}`));
      ids.push(out.ChallengeParameters!.USER_ID_FOR_SRP!);
    }
    for (const id of ids) expect(id).toMatch(v4);
    const variants: Record<string, number> = {};
    for (const id of ids) variants[id[19]!] = (variants[id[19]!] ?? 0) + 1;
    // Each variant is expected 60 times out of 240 (sd ≈ 6.7); 30 is more than four sd away.
    expect(Object.keys(variants).sort()).toEqual(['8', '9', 'a', 'b']);
    for (const n of Object.values(variants)) expect(n).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(samples);
  });

  it('have the same form as a real user’s, and stay the same per name and its look-alikes', async () => {
    const real = await srpStart(known);
    expect(real.ChallengeParameters!.USER_ID_FOR_SRP).toMatch(v4);
    const name = uniqueEmail('stable');
    const first = (await srpStart(name)).ChallengeParameters!;
    const again = (await srpStart(name)).ChallengeParameters!;
    const lookAlike = (await srpStart(`${name.toUpperCase()}.`)).ChallengeParameters!;
    expect(again.USER_ID_FOR_SRP).toBe(first.USER_ID_FOR_SRP);
    expect(lookAlike.USER_ID_FOR_SRP).toBe(first.USER_ID_FOR_SRP);
    expect(again.SALT).toBe(first.SALT);
    expect(first.SALT).toMatch(/^[0-9a-f]{32}$/);
    expect(real.ChallengeParameters!.SALT).toMatch(/^[0-9a-f]{32}$/);
    expect(first.SRP_B).not.toBe(again.SRP_B);
  });
});
