import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers.ts';
import { setMfa } from '../mfa-helpers.ts';
import { type Event, errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

/** A branded message naming the source, with the placeholders Cognito gave. */
function brand(e: Event) {
  const who = e.request.usernameParameter ? ` Sign in as ${e.request.usernameParameter}.` : '';
  return {
    ...e,
    response: {
      ...e.response,
      emailSubject: `[Example] ${e.triggerSource}`,
      emailMessage: `<h1>Example</h1><p>Your code: <b>${e.request.codeParameter}</b>.${who}</p>`,
    },
  };
}

async function confirmedUser() {
  const email = uniqueEmail('cm');
  await t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: email, Password: password }));
  const code = await t.lastCode(email, 'signup');
  await t.cognito.send(
    new ConfirmSignUpCommand({ ClientId: t.clientId, Username: email, ConfirmationCode: code }),
  );
  return email;
}

describe('CustomMessage (AWS SDK), with EmailSendingAccount DEVELOPER', () => {
  beforeEach(async () => {
    await t.configure(['CustomMessage'], { developerEmail: true });
    t.on('CustomMessage', brand);
  });

  it('SignUp: the function gets {####}; the mailbox has its HTML with the real code, which confirms', async () => {
    const email = uniqueEmail('signup');
    const out = await t.cognito.send(
      new SignUpCommand({
        ClientId: t.clientId,
        Username: email,
        Password: password,
        ClientMetadata: { lang: 'fr' },
      }),
    );
    const [event] = t.events.CustomMessage;
    expect(event).toMatchObject({
      triggerSource: 'CustomMessage_SignUp',
      userName: out.UserSub,
      callerContext: { clientId: t.clientId },
      request: {
        codeParameter: '{####}',
        usernameParameter: null,
        clientMetadata: { lang: 'fr' },
        userAttributes: {
          email,
          email_verified: 'false',
          sub: out.UserSub,
          'cognito:user_status': 'UNCONFIRMED',
        },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    const [mail] = await t.mailbox(email);
    expect(mail!.subject).toBe('[Example] CustomMessage_SignUp');
    expect(mail!.code).toMatch(/^\d{6}$/);
    expect((mail as { html?: string }).html).toBe(`<h1>Example</h1><p>Your code: <b>${mail!.code}</b>.</p>`);
    expect(mail!.body).toBe(`Example\nYour code: ${mail!.code}.`);
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: t.clientId, Username: email, ConfirmationCode: mail!.code }),
    );
    const page = await fetch(`${t.idp.url}/_dev/mailbox?to=${encodeURIComponent(email)}`, {
      headers: { accept: 'text/html' },
    }).then((r) => r.text());
    expect(page).toContain('<iframe sandbox');
    expect(page).toContain(`&lt;b&gt;${mail!.code}&lt;/b&gt;`);
  });

  it('every other source: ResendCode, ForgotPassword, AdminCreateUser ({username}), AdminResetUserPassword, UpdateUserAttribute, VerifyUserAttribute', async () => {
    const pending = uniqueEmail('resend');
    await t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: pending, Password: password }));
    await t.cognito.send(
      new ResendConfirmationCodeCommand({
        ClientId: t.clientId,
        Username: pending,
        ClientMetadata: { k: 'resend' },
      }),
    );
    const email = await confirmedUser();
    await t.cognito.send(
      new ForgotPasswordCommand({ ClientId: t.clientId, Username: email, ClientMetadata: { k: 'forgot' } }),
    );
    const invited = uniqueEmail('invited');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.poolId,
        Username: invited,
        UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
        ClientMetadata: { k: 'invite' },
      }),
    );
    const second = await confirmedUser();
    await t.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: t.poolId, Username: second }));
    const third = await confirmedUser();
    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: third, PASSWORD: password },
      }),
    );
    const AccessToken = auth.AuthenticationResult!.AccessToken!;
    await t.cognito.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken,
        AttributeName: 'email',
        ClientMetadata: { k: 'verify' },
      }),
    );
    const moved = uniqueEmail('moved');
    await t.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken,
        UserAttributes: [{ Name: 'email', Value: moved }],
        ClientMetadata: { k: 'update' },
      }),
    );
    const sources = t.events.CustomMessage.map((e) => [e.triggerSource, e.request.clientMetadata?.k]);
    expect(sources).toEqual([
      ['CustomMessage_SignUp', undefined],
      ['CustomMessage_ResendCode', 'resend'],
      ['CustomMessage_SignUp', undefined],
      ['CustomMessage_ForgotPassword', 'forgot'],
      ['CustomMessage_AdminCreateUser', 'invite'],
      ['CustomMessage_SignUp', undefined],
      ['CustomMessage_ForgotPassword', undefined],
      ['CustomMessage_SignUp', undefined],
      ['CustomMessage_VerifyUserAttribute', 'verify'],
      ['CustomMessage_UpdateUserAttribute', 'update'],
    ]);
    const invite = t.events.CustomMessage.find((e) => e.triggerSource === 'CustomMessage_AdminCreateUser');
    expect(invite.request.usernameParameter).toBe('{username}');
    const [invitation] = await t.mailbox(invited);
    expect(invitation!.subject).toBe('[Example] CustomMessage_AdminCreateUser');
    expect(invitation!.body).toBe(`Example\nYour code: ${invitation!.code}. Sign in as ${invited}.`);
    // The temporary password in the invitation is the one that signs in.
    const first = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: t.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: invited, PASSWORD: invitation!.code },
      }),
    );
    expect(first.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const [verify] = await t.mailbox(moved);
    expect(verify!.subject).toBe('[Example] CustomMessage_UpdateUserAttribute');
    await t.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken, AttributeName: 'email', Code: verify!.code }),
    );
  });

  it('a message without {####} is InvalidLambdaResponseException; the user it was for still exists', async () => {
    t.on('CustomMessage', (e: Event) => ({
      ...e,
      response: { ...e.response, emailMessage: '<p>Welcome!</p>' },
    }));
    const email = uniqueEmail('no-code');
    const err = await errorOf(
      t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: email, Password: password })),
    );
    expect(err?.name).toBe('InvalidLambdaResponseException');
    expect(await t.mailbox(email)).toEqual([]);
    const again = await errorOf(
      t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: email, Password: password })),
    );
    expect(again?.name).toBe('UsernameExistsException');
  });

  it('an invitation without {username} is refused too', async () => {
    t.on('CustomMessage', (e: Event) => ({
      ...e,
      response: { ...e.response, emailMessage: `code ${e.request.codeParameter}` },
    }));
    const err = await errorOf(
      t.cognito.send(new AdminCreateUserCommand({ UserPoolId: t.poolId, Username: uniqueEmail('inv') })),
    );
    expect(err?.name).toBe('InvalidLambdaResponseException');
  });
});

describe('CustomMessage with COGNITO_DEFAULT sending', () => {
  it('a function that sets the e-mail is refused (only DEVELOPER may); one that only answers the event keeps the default message', async () => {
    await t.configure(['CustomMessage']);
    t.on('CustomMessage', brand);
    const err = await errorOf(
      t.cognito.send(
        new SignUpCommand({ ClientId: t.clientId, Username: uniqueEmail('default'), Password: password }),
      ),
    );
    expect(err?.name).toBe('InvalidLambdaResponseException');
    t.on('CustomMessage', (e: Event) => e);
    const email = uniqueEmail('plain');
    await t.cognito.send(new SignUpCommand({ ClientId: t.clientId, Username: email, Password: password }));
    const [mail] = await t.mailbox(email);
    expect(mail!.body).toBe(`Your confirmation code is ${mail!.code}`);
  });
});

let phones = 0;
/** A confirmed user with a password, e-mail (and phone), and one MFA factor (or both, none preferred) on. */
async function mfaUser(factor: 'email' | 'sms' | 'both') {
  const email = uniqueEmail(`auth-${factor}`);
  const phone = `+1555${String(process.pid % 1000).padStart(3, '0')}${String(phones++).padStart(4, '0')}`;
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: t.poolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'phone_number', Value: phone },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await t.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: t.poolId,
      Username: email,
      Password: password,
      Permanent: true,
    }),
  );
  await t.cognito.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: t.poolId,
      Username: email,
      ...(factor !== 'sms' ? { EmailMfaSettings: { Enabled: true, PreferredMfa: factor === 'email' } } : {}),
      ...(factor !== 'email' ? { SMSMfaSettings: { Enabled: true, PreferredMfa: factor === 'sms' } } : {}),
    }),
  );
  return { email, phone };
}

const signIn = (email: string, ClientMetadata?: Record<string, string>) =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: t.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
      ClientMetadata,
    }),
  );

/** Answers the MFA challenge with the code from the mailbox; the tokens' access token. */
async function answer(
  email: string,
  name: 'EMAIL_OTP' | 'SMS_MFA',
  Session: string | undefined,
  code: string,
) {
  const out = await t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: t.clientId,
      ChallengeName: name,
      Session,
      ChallengeResponses: { USERNAME: email, [`${name}_CODE`]: code },
    }),
  );
  return out.AuthenticationResult?.AccessToken;
}

describe('CustomMessage_Authentication: MFA codes go through the CustomMessage trigger (AWS SDK)', () => {
  beforeEach(async () => {
    await t.configure(['CustomMessage'], { developerEmail: true });
    await setMfa(t, 'OPTIONAL', { totp: true, email: true, sms: true }, t.poolId);
  });

  it('EMAIL_OTP: the function gets {####}; the mailbox has its HTML with the real code, which signs in', async () => {
    t.on('CustomMessage', (e: Event) => ({
      ...e,
      response: {
        ...e.response,
        emailSubject: `[Example] ${e.triggerSource}`,
        emailMessage: `<p>Your sign-in code: <b>${e.request.codeParameter}</b></p>`,
      },
    }));
    const { email } = await mfaUser('email');
    const start = await signIn(email);
    expect(start.ChallengeName).toBe('EMAIL_OTP');
    expect(t.events.CustomMessage).toHaveLength(1);
    expect(t.events.CustomMessage[0]).toMatchObject({
      triggerSource: 'CustomMessage_Authentication',
      callerContext: { clientId: t.clientId },
      request: {
        codeParameter: '{####}',
        usernameParameter: null,
        userAttributes: { email, email_verified: 'true' },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
    const mail = (await t.mailbox(email)).find((m) => m.kind === 'mfa')!;
    expect(mail.code).toMatch(/^\d{6}$/);
    expect(mail.subject).toBe('[Example] CustomMessage_Authentication');
    expect(mail.body).toBe(`Your sign-in code: ${mail.code}`);
    expect(await answer(email, 'EMAIL_OTP', start.Session, mail.code)).toBeTruthy();
  });

  it('SMS_MFA: the function’s smsMessage is the text sent, with the real code', async () => {
    t.on('CustomMessage', (e: Event) => ({
      ...e,
      response: { ...e.response, smsMessage: `Example code ${e.request.codeParameter} (do not share)` },
    }));
    const { email, phone } = await mfaUser('sms');
    const start = await signIn(email);
    expect(start.ChallengeName).toBe('SMS_MFA');
    expect(t.events.CustomMessage[0]).toMatchObject({
      triggerSource: 'CustomMessage_Authentication',
      request: { codeParameter: '{####}', userAttributes: { phone_number: phone } },
    });
    const sms = (await t.mailbox(phone)).find((m) => m.kind === 'sms')!;
    expect(sms.body).toBe(`Example code ${sms.code} (do not share)`);
    expect(await answer(email, 'SMS_MFA', start.Session, sms.code)).toBeTruthy();
  });

  it('a code sent for a RespondToAuthChallenge step gets its ClientMetadata; InitiateAuth’s reaches no message', async () => {
    const { email } = await mfaUser('both');
    const start = await signIn(email, { step: 'initiate' });
    expect(start.ChallengeName).toBe('SELECT_MFA_TYPE');
    expect(t.events.CustomMessage).toEqual([]);
    const chosen = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: t.clientId,
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: start.Session,
        ChallengeResponses: { USERNAME: email, ANSWER: 'EMAIL_OTP' },
        ClientMetadata: { step: 'choose' },
      }),
    );
    expect(chosen.ChallengeName).toBe('EMAIL_OTP');
    expect(t.events.CustomMessage).toHaveLength(1);
    expect(t.events.CustomMessage[0]).toMatchObject({
      triggerSource: 'CustomMessage_Authentication',
      request: { codeParameter: '{####}', clientMetadata: { step: 'choose' } },
    });
    // A code sent in answer to InitiateAuth: Cognito passes InitiateAuth's ClientMetadata to no message.
    const { email: direct } = await mfaUser('email');
    expect((await signIn(direct, { step: 'initiate' })).ChallengeName).toBe('EMAIL_OTP');
    expect(t.events.CustomMessage).toHaveLength(2);
    expect(t.events.CustomMessage[1].request).not.toHaveProperty('clientMetadata');
  });

  it('a function that answers the event unchanged keeps the pool’s own MFA message', async () => {
    const { email } = await mfaUser('email');
    await signIn(email);
    expect(t.events.CustomMessage[0]?.triggerSource).toBe('CustomMessage_Authentication');
    const mail = (await t.mailbox(email)).find((m) => m.kind === 'mfa')!;
    expect(mail.body).toBe(`Your sign-in code is ${mail.code}`);
  });

  it('an smsMessage without {####} is InvalidLambdaResponseException and no text is sent', async () => {
    t.on('CustomMessage', (e: Event) => ({ ...e, response: { ...e.response, smsMessage: 'no code here' } }));
    const { email, phone } = await mfaUser('sms');
    const err = await errorOf(signIn(email));
    expect(err?.name).toBe('InvalidLambdaResponseException');
    expect((await t.mailbox(phone)).filter((m) => m.kind === 'sms')).toEqual([]);
  });
});
