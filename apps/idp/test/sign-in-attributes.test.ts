import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { errorOf, makeSignInPool, seq, uniquePhone } from './sign-in-pool.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());

describe('phone-number usernames (UsernameAttributes: phone_number)', () => {
  it('signs up with an E.164 number, refuses other names, and signs in by number with password and SRP', async () => {
    const pool = await makeSignInPool(t, { UsernameAttributes: ['phone_number'] });
    const email = await errorOf(pool.signUp(uniqueEmail('phone-pool')));
    expect(email).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Username should be a phone number.',
    });
    const malformed = await errorOf(pool.signUp('+0123'));
    expect(malformed?.message).toBe('Username should be a phone number.');

    const phone = uniquePhone();
    const out = await pool.signUp(phone);
    expect(out.UserConfirmed).toBe(false);
    const again = await errorOf(pool.signUp(phone));
    expect(again).toMatchObject({
      name: 'UsernameExistsException',
      message: 'An account with the given phone_number already exists.',
    });
    await t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: phone }));

    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: phone }));
    expect(user.Username).toBe(out.UserSub); // the internal username is the sub, as with e-mail usernames
    expect(user.UserAttributes).toContainEqual({ Name: 'phone_number', Value: phone });

    const { AuthenticationResult } = await pool.signIn(phone);
    expect(claimsOf(AuthenticationResult!.IdToken!)).toMatchObject({ phone_number: phone, sub: out.UserSub });
    const session = await libraryAuthenticate(t.idp.url, pool.poolId, pool.clientId, phone, poolPassword);
    expect(session.getIdToken().payload.phone_number).toBe(phone);
  });

  it('takes an e-mail or a phone number when both are username attributes', async () => {
    const pool = await makeSignInPool(t, { UsernameAttributes: ['email', 'phone_number'] });
    const bad = await errorOf(pool.signUp('plain-name'));
    expect(bad?.message).toBe('Username should be either an email or a phone number.');
    const phone = uniquePhone();
    const email = uniqueEmail('both');
    await pool.adminUser(email, { phone_number: phone });
    // The phone number of an e-mail user is a username attribute too: taken, and it signs in.
    expect((await errorOf(pool.signUp(phone)))?.name).toBe('UsernameExistsException');
    expect((await pool.signIn(phone)).AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe('alias pools (AliasAttributes)', () => {
  const aliasPool = () =>
    makeSignInPool(t, {
      AliasAttributes: ['email', 'preferred_username', 'phone_number'],
      AutoVerifiedAttributes: ['email'],
    });

  it("refuses usernames shaped like an alias, with Cognito's messages", async () => {
    const pool = await aliasPool();
    expect((await errorOf(pool.signUp(uniqueEmail('alias'))))?.message).toBe(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
    expect((await errorOf(pool.signUp(uniquePhone())))?.name).toBe('InvalidParameterException');
  });

  it('signs in by username, preferred_username and verified e-mail or phone only', async () => {
    const pool = await aliasPool();
    const email = uniqueEmail('alias');
    const phone = uniquePhone();
    const name = `ada${seq()}`;
    await pool.signUp(name, { email, phone_number: phone, preferred_username: `${name}-pref` });
    await t.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.poolId, Username: name }));
    expect((await pool.signIn(name)).AuthenticationResult).toBeDefined();
    expect((await pool.signIn(`${name}-pref`)).AuthenticationResult).toBeDefined();
    // AdminConfirmSignUp verifies nothing: the e-mail and phone are not yet aliases.
    expect((await errorOf(pool.signIn(email)))?.name).toBe('UserNotFoundException');
    expect((await errorOf(pool.signIn(phone)))?.name).toBe('UserNotFoundException');

    const verified = `ver${seq()}`;
    const verifiedEmail = uniqueEmail('verified');
    const verifiedPhone = uniquePhone();
    await pool.adminUser(verified, {
      email: verifiedEmail,
      email_verified: 'True', // Cognito reads Boolean values case-insensitively
      phone_number: verifiedPhone,
      phone_number_verified: 'true',
    });
    const byEmail = await pool.signIn(verifiedEmail);
    expect(claimsOf(byEmail.AuthenticationResult!.IdToken!)['cognito:username']).toBe(verified);
    expect((await pool.signIn(verifiedPhone)).AuthenticationResult).toBeDefined();
    const srp = await libraryAuthenticate(t.idp.url, pool.poolId, pool.clientId, verifiedEmail, poolPassword);
    expect(srp.getIdToken().payload['cognito:username']).toBe(verified);
  });

  it('keeps an alias with one user: AliasExistsException unless ForceAliasCreation moves it', async () => {
    const pool = await aliasPool();
    const email = uniqueEmail('shared');
    const first = `first${seq()}`;
    await pool.adminUser(first, { email, email_verified: 'true', preferred_username: `${first}-p` });

    const second = `second${seq()}`;
    const taken = await errorOf(pool.adminUser(second, { email, email_verified: 'true' }));
    expect(taken).toMatchObject({
      name: 'AliasExistsException',
      message: 'An account with the given email already exists.',
    });
    const preferred = await errorOf(pool.signUp(second, { preferred_username: `${first}-p` }));
    expect(preferred?.name).toBe('AliasExistsException');

    // Signing up with the same e-mail is allowed (unverified); confirming it is not, unless forced.
    await pool.signUp(second, { email });
    const [mail] = await t.mailbox(email);
    const confirm = (force?: boolean) =>
      t.cognito.send(
        new ConfirmSignUpCommand({
          ClientId: pool.clientId,
          Username: second,
          ConfirmationCode: mail!.code,
          ForceAliasCreation: force,
        }),
      );
    expect((await errorOf(confirm()))?.name).toBe('AliasExistsException');
    await confirm(true);
    const byEmail = await pool.signIn(email);
    expect(claimsOf(byEmail.AuthenticationResult!.IdToken!)['cognito:username']).toBe(second);
    const old = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: first }));
    expect(old.UserAttributes).toContainEqual({ Name: 'email_verified', Value: 'false' });

    // preferred_username is unique too, and never moves.
    const rename = await errorOf(
      t.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: pool.poolId,
          Username: second,
          UserAttributes: [{ Name: 'preferred_username', Value: `${first}-p` }],
        }),
      ),
    );
    expect(rename?.name).toBe('AliasExistsException');
  });
});
