import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueEmail } from './helpers.ts';
import { uniquePhone } from './sign-in-pool.ts';
import {
  arnOf,
  type Event,
  errorOf,
  password,
  startTriggerIdp,
  type TriggerIdp,
} from './triggers/harness.ts';

const smsTemplate = 'Example: your code is {####}';
let t: TriggerIdp;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTriggerIdp();
  // An alias pool that auto-verifies both: Cognito then sends the sign-up code by SMS only.
  const { UserPool } = await t.cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'phone-codes',
      AliasAttributes: ['email', 'phone_number'],
      AutoVerifiedAttributes: ['email', 'phone_number'],
      SmsVerificationMessage: smsTemplate,
      Policies: { PasswordPolicy: { MinimumLength: 8 } },
      LambdaConfig: { CustomMessage: arnOf('CustomMessage') },
    }),
  );
  poolId = UserPool!.Id!;
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  clientId = UserPoolClient!.ClientId!;
});
afterAll(() => t.close());
beforeEach(() => t.reset());

let n = 0;
const attrsOf = async (username: string) => {
  const u = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return Object.fromEntries(u.UserAttributes!.map((a) => [a.Name, a.Value]));
};
const masked = (phone: string) => `+${'*'.repeat(phone.length - 5)}${phone.slice(-4)}`;
const lastSms = async (phone: string) => (await t.mailbox(phone)).find((m) => m.kind === 'sms')!;

/** UpdateUserAttributes with a new phone number: Cognito answers with its SMS delivery. */
async function newPhoneFor(token: string) {
  const phone = uniquePhone();
  const out = await t.cognito.send(
    new UpdateUserAttributesCommand({
      AccessToken: token,
      UserAttributes: [{ Name: 'phone_number', Value: phone }],
    }),
  );
  expect(out.CodeDeliveryDetailsList).toEqual([
    { Destination: masked(phone), DeliveryMedium: 'SMS', AttributeName: 'phone_number' },
  ]);
  return phone;
}

/** A confirmed user with a password and these attributes, signed in: its access token. */
async function signedIn(attributes: Record<string, string>) {
  const username = `phone${process.pid}x${n++}`;
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await t.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
  const auth = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
  return { username, token: auth.AuthenticationResult!.AccessToken! };
}

describe('phone verification codes (AWS SDK v3)', () => {
  it('SignUp texts the code when phone_number is auto-verified; ConfirmSignUp verifies the phone only', async () => {
    const phone = uniquePhone();
    const username = `signup${process.pid}x${n++}`;
    const up = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: password,
        UserAttributes: [
          { Name: 'email', Value: uniqueEmail('phone-signup') },
          { Name: 'phone_number', Value: phone },
        ],
      }),
    );
    expect(up.CodeDeliveryDetails).toEqual({
      Destination: masked(phone),
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    const first = await lastSms(phone);
    expect(first.body).toBe(`Example: your code is ${first.code}`);
    const [event] = t.events.CustomMessage;
    expect(event).toMatchObject({
      triggerSource: 'CustomMessage_SignUp',
      request: { codeParameter: '{####}', userAttributes: { phone_number: phone } },
      response: { smsMessage: null },
    });
    const resent = await t.cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }),
    );
    expect(resent.CodeDeliveryDetails?.DeliveryMedium).toBe('SMS');
    expect(t.events.CustomMessage.at(-1).triggerSource).toBe('CustomMessage_ResendCode');
    const code = (await lastSms(phone)).code;
    const wrong = code === '000000' ? '111111' : '000000';
    expect(
      (
        await errorOf(
          t.cognito.send(
            new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: wrong }),
          ),
        )
      )?.name,
    ).toBe('CodeMismatchException');
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }),
    );
    expect(await attrsOf(username)).toMatchObject({ phone_number_verified: 'true', email_verified: 'false' });
  });

  it('GetUserAttributeVerificationCode / VerifyUserAttribute for phone_number, through CustomMessage', async () => {
    const phone = uniquePhone();
    const { username, token } = await signedIn({ phone_number: phone });
    t.on('CustomMessage', (e: Event) => ({
      ...e,
      response: { ...e.response, smsMessage: `[${e.triggerSource}] ${e.request.codeParameter}` },
    }));
    const got = await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' }),
    );
    expect(got.CodeDeliveryDetails).toEqual({
      Destination: masked(phone),
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    const sms = await lastSms(phone);
    expect(sms.body).toBe(`[CustomMessage_VerifyUserAttribute] ${sms.code}`);
    const wrong = sms.code === '000000' ? '111111' : '000000';
    const mismatch = await errorOf(
      t.cognito.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: wrong }),
      ),
    );
    expect(mismatch?.name).toBe('CodeMismatchException');
    expect((await attrsOf(username)).phone_number_verified).not.toBe('true');
    await t.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: sms.code }),
    );
    expect((await attrsOf(username)).phone_number_verified).toBe('true');
    // The code is used up.
    const again = await errorOf(
      t.cognito.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: sms.code }),
      ),
    );
    expect(again?.name).toBe('ExpiredCodeException');
  });

  it('refuses a user without a phone number and attributes that cannot be verified', async () => {
    const { token } = await signedIn({ email: uniqueEmail('no-phone') });
    const none = await errorOf(
      t.cognito.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' }),
      ),
    );
    expect([none?.name, none?.message]).toEqual([
      'InvalidParameterException',
      'User does not have a phone_number attribute.',
    ]);
    const other = await errorOf(
      t.cognito.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'name' }),
      ),
    );
    expect(other?.name).toBe('InvalidParameterException');
  });

  it('UpdateUserAttributes of phone_number texts a code and unverifies the number until it comes back', async () => {
    const { username, token } = await signedIn({
      phone_number: uniquePhone(),
      phone_number_verified: 'true',
    });
    const phone = await newPhoneFor(token);
    expect(t.events.CustomMessage.at(-1).triggerSource).toBe('CustomMessage_UpdateUserAttribute');
    expect(await attrsOf(username)).toMatchObject({ phone_number: phone, phone_number_verified: 'false' });
    const code = (await lastSms(phone)).code;
    await t.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: code }),
    );
    expect((await attrsOf(username)).phone_number_verified).toBe('true');
  });

  it('a verified phone alias belongs to one user: verifying another user’s number is refused', async () => {
    const phone = uniquePhone();
    await signedIn({ phone_number: phone, phone_number_verified: 'true' });
    const { username, token } = await signedIn({ phone_number: phone });
    await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' }),
    );
    const code = (await lastSms(phone)).code;
    const taken = await errorOf(
      t.cognito.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: code }),
      ),
    );
    expect(taken?.name).toBe('AliasExistsException');
    expect((await attrsOf(username)).phone_number_verified).not.toBe('true');
  });

  it('AdminCreateUser texts the invitation for DesiredDeliveryMediums SMS, mails it for EMAIL', async () => {
    const invite = async (mediums: Array<'SMS' | 'EMAIL'>) => {
      const username = `invite${process.pid}x${n++}`;
      const phone = uniquePhone();
      const email = uniqueEmail('invite');
      await t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          DesiredDeliveryMediums: mediums,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'phone_number', Value: phone },
          ],
        }),
      );
      return { username, texts: await t.mailbox(phone), mails: await t.mailbox(email) };
    };
    const sms = await invite(['SMS']);
    expect(sms.mails).toEqual([]);
    const [text] = sms.texts;
    expect(text).toMatchObject({ kind: 'sms' });
    expect(text!.body).toBe(`Your username is ${sms.username} and temporary password is ${text!.code}.`);
    expect(t.events.CustomMessage.at(-1)).toMatchObject({
      triggerSource: 'CustomMessage_AdminCreateUser',
      request: { usernameParameter: '{username}' },
    });
    // The texted temporary password is the one the user signs in with.
    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: sms.username, PASSWORD: text!.code },
      }),
    );
    expect(auth.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const both = await invite(['SMS', 'EMAIL']);
    expect(both.texts.map((m) => m.kind)).toEqual(['sms']);
    expect(both.mails.map((m) => m.kind)).toEqual(['invitation']);
    expect(both.mails[0]!.code).toBe(both.texts[0]!.code);
  });
});

describe('AttributesRequireVerificationBeforeUpdate with phone_number', () => {
  it('keeps the old number for sign-in until the new one is verified, and texts the new one', async () => {
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'phone-keeps-original',
        AliasAttributes: ['phone_number'],
        AutoVerifiedAttributes: ['phone_number'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['phone_number'] },
        Policies: { PasswordPolicy: { MinimumLength: 8 } },
      }),
    );
    const UserPoolId = UserPool!.Id!;
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const old = uniquePhone();
    const username = `keeps${process.pid}x${n++}`;
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'phone_number', Value: old },
          { Name: 'phone_number_verified', Value: 'true' },
        ],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    );
    const signIn = (login: string) =>
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: UserPoolClient!.ClientId!,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: login, PASSWORD: password },
        }),
      );
    const token = (await signIn(old)).AuthenticationResult!.AccessToken!;
    const phone = await newPhoneFor(token);
    // Until the code comes back the old number is the attribute, verified, and still signs in.
    const before = await t.cognito.send(new AdminGetUserCommand({ UserPoolId, Username: username }));
    const attrs = Object.fromEntries(before.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(attrs).toMatchObject({ phone_number: old, phone_number_verified: 'true' });
    expect((await signIn(old)).AuthenticationResult).toBeDefined();
    // The new number is nobody's alias yet (the client answers LEGACY: UserNotFoundException).
    expect((await errorOf(signIn(phone)))?.name).toBe('UserNotFoundException');
    // A code sent again goes to the new number too.
    await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: 'phone_number' }),
    );
    expect(await t.mailbox(old)).toEqual([]);
    const code = (await lastSms(phone)).code;
    await t.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: 'phone_number', Code: code }),
    );
    const after = await t.cognito.send(new AdminGetUserCommand({ UserPoolId, Username: username }));
    expect(Object.fromEntries(after.UserAttributes!.map((a) => [a.Name, a.Value]))).toMatchObject({
      phone_number: phone,
      phone_number_verified: 'true',
    });
    expect((await signIn(phone)).AuthenticationResult).toBeDefined();
    expect((await errorOf(signIn(old)))?.name).toBe('UserNotFoundException');
  });
});
