import {
  AdminCreateUserCommand,
  AdminResetUserPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers.ts';
import { type Event, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp();
});
afterAll(() => t.close());
beforeEach(() => t.reset());

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: Error) => e,
  );

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
