import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp } from './helpers.ts';
import { errorOf, makeSignInPool, seq, uniquePhone } from './sign-in-pool.ts';
import { libraryAuthenticate } from './srp-helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());

describe('UsernameConfiguration CaseSensitive false', () => {
  it('finds the user under any capitalisation and keeps the stored case', async () => {
    const pool = await makeSignInPool(t, { UsernameConfiguration: { CaseSensitive: false } });
    const name = `MixedCase${seq()}`;
    await pool.adminUser(name, {});
    const password = await pool.signIn(name.toUpperCase());
    expect(claimsOf(password.AuthenticationResult!.AccessToken!).username).toBe(name);
    const srp = await libraryAuthenticate(
      t.idp.url,
      pool.poolId,
      pool.clientId,
      name.toLowerCase(),
      poolPassword,
    );
    expect(srp.getIdToken().payload['cognito:username']).toBe(name);
    const got = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: name.toLowerCase() }),
    );
    expect(got.Username).toBe(name);

    // A case variation is the same user: sign-up and AdminCreateUser refuse it.
    expect(await errorOf(pool.signUp(name.toLowerCase()))).toMatchObject({
      name: 'UsernameExistsException',
      message: 'User already exists',
    });
    const admin = await errorOf(
      t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: name.toUpperCase(),
          MessageAction: 'SUPPRESS',
        }),
      ),
    );
    expect(admin).toMatchObject({ name: 'UsernameExistsException', message: 'User account already exists' });
    const listed = await t.cognito.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `username = "${name.toLowerCase()}"` }),
    );
    expect(listed.Users?.map((u) => u.Username)).toEqual([name]);
  });

  it('makes preferred_username a case-insensitive alias, unique in any capitalisation', async () => {
    const pool = await makeSignInPool(t, {
      UsernameConfiguration: { CaseSensitive: false },
      AliasAttributes: ['preferred_username'],
    });
    const name = `owner${seq()}`;
    await pool.adminUser(name, { preferred_username: `Nick${name}` });
    const out = await pool.signIn(`NICK${name.toUpperCase()}`);
    expect(claimsOf(out.AuthenticationResult!.IdToken!)['cognito:username']).toBe(name);
    const other = `other${seq()}`;
    expect(await errorOf(pool.signUp(other, { preferred_username: `nick${name}` }))).toMatchObject({
      name: 'AliasExistsException',
    });
  });
});

describe('case-sensitive pools (the default)', () => {
  it('keeps names that differ in case apart, in sign-in, admin lookups and the username filter', async () => {
    const pool = await makeSignInPool(t, { AliasAttributes: ['preferred_username'] });
    const name = `case${seq()}`;
    await pool.adminUser(name, { preferred_username: `Pref${name}` });
    expect((await errorOf(pool.signIn(name.toUpperCase())))?.name).toBe('UserNotFoundException');
    expect((await errorOf(pool.signIn(`pref${name}`)))?.name).toBe('UserNotFoundException');
    await pool.adminUser(name.toUpperCase(), { preferred_username: `pref${name}` });
    const lower = await t.cognito.send(
      new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `username = "${name}"` }),
    );
    expect(lower.Users?.map((u) => u.Username)).toEqual([name]);
  });
});

describe('ListUsers filters on every searchable attribute', () => {
  it('phone_number, preferred_username, names, status and sub with = and ^=', async () => {
    const pool = await makeSignInPool(t, { AliasAttributes: ['preferred_username'] });
    const tag = `f${seq()}`;
    const phone = uniquePhone();
    await pool.adminUser(`${tag}-a`, {
      phone_number: phone,
      preferred_username: `${tag}-nick`,
      given_name: 'Grace',
      family_name: 'Hopper',
      name: 'Grace Hopper',
    });
    await pool.adminUser(`${tag}-b`, { phone_number: uniquePhone(), preferred_username: `${tag}-other` });
    const names = async (Filter: string) =>
      (await t.cognito.send(new ListUsersCommand({ UserPoolId: pool.poolId, Filter }))).Users?.map(
        (u) => u.Username,
      ).sort();
    expect(await names(`phone_number = "${phone}"`)).toEqual([`${tag}-a`]);
    expect(await names(`phone_number ^= "${phone.slice(0, 8)}"`)).toEqual([`${tag}-a`, `${tag}-b`]);
    expect(await names(`preferred_username = "${tag}-nick"`)).toEqual([`${tag}-a`]);
    expect(await names(`preferred_username ^= "${tag}-"`)).toEqual([`${tag}-a`, `${tag}-b`]);
    expect(await names(`given_name = "grace"`)).toEqual([`${tag}-a`]);
    expect(await names(`family_name ^= "Hop"`)).toEqual([`${tag}-a`]);
    expect(await names(`name = "Grace Hopper"`)).toEqual([`${tag}-a`]);
    expect(await names(`username ^= "${tag}-"`)).toEqual([`${tag}-a`, `${tag}-b`]);
    expect(await names('cognito:user_status = "confirmed"')).toEqual([`${tag}-a`, `${tag}-b`]);
    expect(await names('status = "Enabled"')).toEqual([`${tag}-a`, `${tag}-b`]);
    expect(await names('status = "enabled"')).toEqual([]); // `status` is case-sensitive
    const a = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: `${tag}-a` }),
    );
    const sub = a.UserAttributes!.find((x) => x.Name === 'sub')!.Value!;
    expect(await names(`sub = "${sub}"`)).toEqual([`${tag}-a`]);
    const changed = `+1999${phone.slice(5)}`;
    await t.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool.poolId,
        Username: `${tag}-a`,
        UserAttributes: [{ Name: 'phone_number', Value: changed }],
      }),
    );
    expect(await names(`phone_number = "${phone}"`)).toEqual([]);
    expect(await names(`phone_number = "${changed}"`)).toEqual([`${tag}-a`]);
  });
});
