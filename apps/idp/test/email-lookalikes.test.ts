import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp } from './helpers.ts';

// ADR 0078: e-mail usernames are compared by normaliseEmail (NFC, lower case, no trailing dot on the
// domain), so a look-alike spelling can neither register a second account nor miss the first one.

let t: TestIdp;
const tag = `${process.pid}${Date.now()}`;
// "josé" with a precomposed é (U+00E9): what the victim registered.
const victim = `jos\u00e9.${tag}@example.com`;
// The same address as an attacker may type it: e + combining acute (U+0301), upper case, trailing dot.
const lookAlike = `JOSE\u0301.${tag}@EXAMPLE.COM.`;
let sub: string;

beforeAll(async () => {
  t = await startTestIdp({ users: [{ email: victim, password: poolPassword }] });
  const listed = await t.cognito.send(
    new ListUsersCommand({ UserPoolId: t.idp.pool.poolId, Filter: `email = "${victim}"` }),
  );
  sub = listed.Users![0]!.Attributes!.find((a) => a.Name === 'sub')!.Value!;
});
afterAll(() => t.close());

describe('look-alike e-mail addresses are one account', () => {
  it('the two spellings differ as strings and after plain lower-casing', () => {
    expect(lookAlike).not.toBe(victim);
    expect(lookAlike.toLowerCase()).not.toBe(victim.toLowerCase());
  });

  it('SignUp with a look-alike answers UsernameExistsException', async () => {
    const err = await t.cognito
      .send(
        new SignUpCommand({ ClientId: t.web.clientId, Username: lookAlike, Password: 'attacker passphrase' }),
      )
      .catch((e) => e);
    expect(err.name).toBe('UsernameExistsException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toBe('An account with the given email already exists.');
  });

  it('AdminCreateUser with a look-alike answers UsernameExistsException', async () => {
    const err = await t.cognito
      .send(
        new AdminCreateUserCommand({
          UserPoolId: t.idp.pool.poolId,
          Username: lookAlike,
          MessageAction: 'SUPPRESS',
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('UsernameExistsException');
    expect(err.message).toBe('User account already exists');
  });

  it('signing in with a look-alike reaches the one account', async () => {
    const out = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.backend.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: lookAlike, PASSWORD: poolPassword, SECRET_HASH: t.secretHash(lookAlike) },
      }),
    );
    expect(claimsOf(out.AuthenticationResult!.IdToken!)).toMatchObject({ sub, email: victim });
  });

  it('AdminGetUser and ListUsers (email filter) find it by a look-alike', async () => {
    const got = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: lookAlike }),
    );
    expect(got.Username).toBe(sub);
    const exact = await t.cognito.send(
      new ListUsersCommand({ UserPoolId: t.idp.pool.poolId, Filter: `email = "${lookAlike}"` }),
    );
    expect(exact.Users!.map((u) => u.Username)).toEqual([sub]);
    const prefix = await t.cognito.send(
      new ListUsersCommand({ UserPoolId: t.idp.pool.poolId, Filter: `email ^= "JOSE\u0301.${tag}@"` }),
    );
    expect(prefix.Users!.map((u) => u.Username)).toEqual([sub]);
  });

  it('ForgotPassword for a look-alike mails the account’s own address', async () => {
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: t.web.clientId, Username: lookAlike }));
    const mails = await t.mailbox(victim);
    expect(mails[0]).toMatchObject({ kind: 'reset' });
    expect(mails[0]!.body).toMatch(/^Your password reset code is \d{6}$/);
  });
});
