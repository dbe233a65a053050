/**
 * Where ForgotPassword sends the reset code (Cognito's AccountRecoverySetting): by priority among the
 * user's verified addresses, never to the channel of the user's own SMS or e-mail MFA, and by the
 * legacy rule (phone before e-mail) in a pool without the setting. AWS SDK v3 against the IdP.
 */

import { definition } from '@app/pool-definition';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { uniquePhone } from './sign-in-pool.ts';

// Cognito's default policy in a new pool: upper and lower case, a number and a symbol.
const password = 'Correct-horse-battery-1';
let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.close());

type Mechanisms = sdk.RecoveryOptionType[] | undefined;

/** A pool with these recovery mechanisms (none: the legacy rule), e-mail MFA on offer, one client. */
async function poolWith(RecoveryMechanisms: Mechanisms) {
  const { UserPool } = await t.cognito.send(
    new sdk.CreateUserPoolCommand({
      PoolName: 'recovery',
      ...(RecoveryMechanisms ? { AccountRecoverySetting: { RecoveryMechanisms } } : {}),
    }),
  );
  const UserPoolId = UserPool!.Id!;
  await t.cognito.send(
    new sdk.SetUserPoolMfaConfigCommand({
      UserPoolId,
      MfaConfiguration: 'OPTIONAL',
      EmailMfaConfiguration: {},
    }),
  );
  const { UserPoolClient } = await t.cognito.send(
    new sdk.CreateUserPoolClientCommand({ UserPoolId, ClientName: 'app' }),
  );
  return { UserPoolId, ClientId: UserPoolClient!.ClientId! };
}

/** A confirmed user whose e-mail and phone are verified or not as asked. */
async function userIn(
  pool: { UserPoolId: string },
  opts: { email: boolean; phone: boolean; emailMfa?: boolean },
) {
  const email = uniqueEmail('recovery');
  const phone = uniquePhone();
  await t.cognito.send(
    new sdk.AdminCreateUserCommand({
      UserPoolId: pool.UserPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: String(opts.email) },
        { Name: 'phone_number', Value: phone },
        { Name: 'phone_number_verified', Value: String(opts.phone) },
      ],
    }),
  );
  await t.cognito.send(
    new sdk.AdminSetUserPasswordCommand({ ...pool, Username: email, Password: password, Permanent: true }),
  );
  if (opts.emailMfa)
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        ...pool,
        Username: email,
        EmailMfaSettings: { Enabled: true },
      }),
    );
  return { email, phone };
}

const forgot = (ClientId: string, Username: string) =>
  t.cognito.send(new sdk.ForgotPasswordCommand({ ClientId, Username }));

describe('ForgotPassword: where the reset code goes', () => {
  it('texts a verified phone before a verified e-mail in a pool without AccountRecoverySetting (legacy)', async () => {
    const pool = await poolWith(undefined);
    const u = await userIn(pool, { email: true, phone: true });
    const out = await forgot(pool.ClientId, u.email);
    expect(out.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    const code = await t.lastCode(u.phone, 'sms');
    // The texted code is the reset code: it sets the new password.
    await t.cognito.send(
      new sdk.ConfirmForgotPasswordCommand({
        ClientId: pool.ClientId,
        Username: u.email,
        ConfirmationCode: code,
        Password: 'Another-horse-battery-2',
      }),
    );
    expect((await t.mailbox(u.email)).filter((m) => m.kind === 'reset')).toEqual([]);
    // Only the e-mail verified: the legacy rule mails it.
    const v = await userIn(pool, { email: true, phone: false });
    expect((await forgot(pool.ClientId, v.email)).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });

  it('follows the priorities, and skips the channel of the user’s own MFA', async () => {
    const pool = await poolWith([
      { Name: 'verified_email', Priority: 1 },
      { Name: 'verified_phone_number', Priority: 2 },
    ]);
    const both = await userIn(pool, { email: true, phone: true });
    expect((await forgot(pool.ClientId, both.email)).CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    expect(await t.lastCode(both.email, 'reset')).toMatch(/^\d{6}$/);
    // E-mail MFA disqualifies e-mail recovery: the code goes to the phone.
    const mfa = await userIn(pool, { email: true, phone: true, emailMfa: true });
    expect((await forgot(pool.ClientId, mfa.email)).CodeDeliveryDetails?.DeliveryMedium).toBe('SMS');
    // An unverified e-mail does not qualify either.
    const phoneOnly = await userIn(pool, { email: false, phone: true });
    expect((await forgot(pool.ClientId, phoneOnly.email)).CodeDeliveryDetails?.DeliveryMedium).toBe('SMS');
  });

  it('refuses with Cognito’s error when no mechanism qualifies, and sends nothing', async () => {
    const pool = await poolWith([{ Name: 'verified_email', Priority: 1 }]);
    const u = await userIn(pool, { email: false, phone: true });
    const err = await forgot(pool.ClientId, u.email).catch((e: Error) => e);
    expect([(err as Error).name, (err as Error).message]).toEqual([
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    ]);
    expect(await t.mailbox(u.phone)).toEqual([]);
    // AdminResetUserPassword answers the same way.
    const admin = await t.cognito
      .send(new sdk.AdminResetUserPasswordCommand({ UserPoolId: pool.UserPoolId, Username: u.email }))
      .catch((e: Error) => e.name);
    expect(admin).toBe('InvalidParameterException');
  });

  it('gives the bootstrapped pool the definition’s recovery, as CDK and Terraform do', async () => {
    const { UserPool } = await t.cognito.send(
      new sdk.DescribeUserPoolCommand({ UserPoolId: t.idp.pool.poolId }),
    );
    expect(UserPool?.AccountRecoverySetting).toEqual({
      RecoveryMechanisms: [{ Name: definition.accountRecovery, Priority: 1 }],
    });
  });
});
