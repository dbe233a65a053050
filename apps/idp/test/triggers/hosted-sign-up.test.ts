import { AdminGetUserCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../helpers.ts';
import { callback, FormBrowser } from '../oauth-helpers.ts';
import { confirmedUser, type Event, errorOf, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

// The managed login's sign-up (/signup → /confirm) and password reset (/forgotPassword →
// /confirmforgotPassword) driven over plain HTTP with a cookie jar, as a browser posts the forms. The
// pages call SignUp, ConfirmSignUp, ForgotPassword and ConfirmForgotPassword for the hosted client, so
// the triggers get the same sources as through the API, with that client's id in callerContext. The
// pages have no way to send ValidationData or ClientMetadata (those are API parameters only), so the
// events carry validationData null and no clientMetadata.

let t: TriggerIdp;
let clientId: string;
let authorize: string;
beforeAll(async () => {
  t = await startTriggerIdp();
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: t.poolId,
      ClientName: 'hosted',
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      CallbackURLs: [callback],
      SupportedIdentityProviders: ['COGNITO'],
    }),
  );
  clientId = UserPoolClient!.ClientId!;
  authorize = `/oauth2/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: callback, scope: 'openid email' })}`;
});
afterAll(() => t.close());
beforeEach(() => t.reset());

/** A branded message naming its source, with the code placeholder Cognito gave. */
const brand = (e: Event) => ({
  ...e,
  response: {
    ...e.response,
    emailSubject: `[Example] ${e.triggerSource}`,
    emailMessage: `<h1>Example</h1><p>Your code: <b>${e.request.codeParameter}</b></p>`,
  },
});

/** A fresh browser at the login page of the hosted client's authorization request; the page's path. */
async function atLogin() {
  const browser = new FormBrowser(t.idp.url);
  const start = await browser.get(authorize);
  expect(start.status).toBe(302);
  return { browser, login: start.location };
}

/** Opens `path`, fills its form with `fields`, posts it; returns the answer. */
async function submit(browser: FormBrowser, path: string, fields: Record<string, string>) {
  const page = await browser.get(path);
  expect(page.status).toBe(200);
  const { action, hidden } = FormBrowser.form(page.text);
  return browser.post(action, { ...hidden, ...fields });
}

const pathOf = (location: string) => new URL(location, 'http://x').pathname;
const userStatus = async (email: string) =>
  (await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: email }))).UserStatus;

/** Signs in on the login page `location` leads to; the callback URL with the code. */
async function signIn(browser: FormBrowser, location: string, email: string, pass: string) {
  const done = await submit(browser, location, { username: email, password: pass });
  expect(done.status).toBe(302);
  return done.location;
}

describe('managed login sign-up: PreSignUp, CustomMessage and PostConfirmation', () => {
  it('/signup runs PreSignUp_SignUp and CustomMessage_SignUp (its HTML in the mailbox); /confirm runs PostConfirmation_ConfirmSignUp', async () => {
    await t.configure(['PreSignUp', 'CustomMessage', 'PostConfirmation'], { developerEmail: true });
    t.on('CustomMessage', brand);
    const { browser, login } = await atLogin();
    const email = uniqueEmail('hosted-signup');
    const signedUp = await submit(browser, login.replace('/login?', '/signup?'), {
      username: email,
      attr_name: 'Ada',
      password,
    });
    expect(signedUp.status).toBe(302);
    expect(pathOf(signedUp.location)).toBe('/confirm');

    expect(t.events.PreSignUp).toHaveLength(1);
    const [pre] = t.events.PreSignUp;
    expect(pre).toMatchObject({
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      userPoolId: t.poolId,
      callerContext: { clientId },
      request: { userAttributes: { email, name: 'Ada' }, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(pre.request).not.toHaveProperty('clientMetadata');

    expect(t.events.CustomMessage).toHaveLength(1);
    const [message] = t.events.CustomMessage;
    expect(message).toMatchObject({
      triggerSource: 'CustomMessage_SignUp',
      callerContext: { clientId },
      request: {
        codeParameter: '{####}',
        userAttributes: { email, email_verified: 'false', 'cognito:user_status': 'UNCONFIRMED' },
      },
    });
    expect(message.request).not.toHaveProperty('clientMetadata');
    const [mail] = await t.mailbox(email);
    expect(mail!.subject).toBe('[Example] CustomMessage_SignUp');
    expect(mail!.code).toMatch(/^\d{6}$/);
    expect((mail as { html?: string }).html).toBe(`<h1>Example</h1><p>Your code: <b>${mail!.code}</b></p>`);

    expect(t.events.PostConfirmation).toHaveLength(0);
    const confirmed = await submit(browser, signedUp.location, { code: mail!.code });
    expect(confirmed.status).toBe(302);
    expect(pathOf(confirmed.location)).toBe('/login');
    expect(t.events.PostConfirmation).toHaveLength(1);
    const [post] = t.events.PostConfirmation;
    expect(post).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      userPoolId: t.poolId,
      userName: message.userName,
      callerContext: { clientId },
      request: {
        userAttributes: { email, email_verified: 'true', name: 'Ada', 'cognito:user_status': 'CONFIRMED' },
      },
    });
    expect(post.request).not.toHaveProperty('clientMetadata');
    expect(await signIn(browser, confirmed.location, email, password)).toMatch(`${callback}?code=`);
  });

  it("a PreSignUp refusal shows the page's error with Cognito's message, and creates nobody", async () => {
    await t.configure(['PreSignUp', 'CustomMessage', 'PostConfirmation']);
    t.on('PreSignUp', () => {
      throw new Error('Sign-ups from this domain are closed');
    });
    const { browser, login } = await atLogin();
    const email = uniqueEmail('hosted-refused');
    const refused = await submit(browser, login.replace('/login?', '/signup?'), {
      username: email,
      password,
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(
      '<div class="alert" role="alert" id="form-error">PreSignUp failed with error Sign-ups from this domain are closed.</div>',
    );
    // The form comes back with what was typed (not the password), to try again.
    expect(refused.text).toContain(`value="${email}"`);
    expect(t.events.PreSignUp).toHaveLength(1);
    expect(t.events.PreSignUp[0]).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      callerContext: { clientId },
    });
    expect((await errorOf(userStatus(email)))?.name).toBe('UserNotFoundException');
    expect(t.events.CustomMessage).toHaveLength(0);
    expect(t.events.PostConfirmation).toHaveLength(0);
    expect(await t.mailbox(email)).toEqual([]);
  });

  it('autoConfirmUser skips the confirm page: PostConfirmation_ConfirmSignUp runs at sign-up, no code is sent', async () => {
    await t.configure(['PreSignUp', 'CustomMessage', 'PostConfirmation']);
    t.on('PreSignUp', (e: Event) => ({
      ...e,
      response: { autoConfirmUser: true, autoVerifyEmail: true, autoVerifyPhone: false },
    }));
    const { browser, login } = await atLogin();
    const email = uniqueEmail('hosted-auto');
    const signedUp = await submit(browser, login.replace('/login?', '/signup?'), {
      username: email,
      password,
    });
    expect(signedUp.status).toBe(302);
    expect(pathOf(signedUp.location)).toBe('/login');
    expect(t.events.PreSignUp).toHaveLength(1);
    expect(t.events.PreSignUp[0]).toMatchObject({
      triggerSource: 'PreSignUp_SignUp',
      callerContext: { clientId },
    });
    expect(t.events.PostConfirmation).toHaveLength(1);
    expect(t.events.PostConfirmation[0]).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      callerContext: { clientId },
      request: { userAttributes: { email, email_verified: 'true', 'cognito:user_status': 'CONFIRMED' } },
    });
    expect(t.events.CustomMessage).toHaveLength(0);
    expect(await t.mailbox(email)).toEqual([]);
    expect(await userStatus(email)).toBe('CONFIRMED');
    expect(await signIn(browser, signedUp.location, email, password)).toMatch(`${callback}?code=`);
  });
});

describe('managed login password reset: CustomMessage and PostConfirmation', () => {
  it('/forgotPassword runs CustomMessage_ForgotPassword (its HTML in the mailbox); /confirmforgotPassword runs PostConfirmation_ConfirmForgotPassword', async () => {
    const email = await confirmedUser(t, 'hosted-reset', [{ Name: 'email_verified', Value: 'true' }]);
    await t.configure(['CustomMessage', 'PostConfirmation'], { developerEmail: true });
    t.on('CustomMessage', brand);
    const { browser, login } = await atLogin();
    const sent = await submit(browser, login.replace('/login?', '/forgotPassword?'), { username: email });
    expect(sent.status).toBe(302);
    expect(pathOf(sent.location)).toBe('/confirmforgotPassword');

    expect(t.events.CustomMessage).toHaveLength(1);
    const [message] = t.events.CustomMessage;
    expect(message).toMatchObject({
      triggerSource: 'CustomMessage_ForgotPassword',
      userPoolId: t.poolId,
      callerContext: { clientId },
      request: {
        codeParameter: '{####}',
        userAttributes: { email, 'cognito:user_status': 'CONFIRMED' },
      },
    });
    expect(message.request).not.toHaveProperty('clientMetadata');
    const [mail] = await t.mailbox(email);
    expect(mail!.subject).toBe('[Example] CustomMessage_ForgotPassword');
    expect((mail as { html?: string }).html).toBe(`<h1>Example</h1><p>Your code: <b>${mail!.code}</b></p>`);

    expect(t.events.PostConfirmation).toHaveLength(0);
    const newPassword = 'N3w-passw0rd!';
    const done = await submit(browser, sent.location, { code: mail!.code, password: newPassword });
    expect(done.status).toBe(302);
    expect(pathOf(done.location)).toBe('/login');
    expect(t.events.PostConfirmation).toHaveLength(1);
    const [post] = t.events.PostConfirmation;
    expect(post).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmForgotPassword',
      userPoolId: t.poolId,
      userName: message.userName,
      callerContext: { clientId },
      request: { userAttributes: { email, 'cognito:user_status': 'CONFIRMED' } },
    });
    expect(post.request).not.toHaveProperty('clientMetadata');
    expect(await signIn(browser, done.location, email, newPassword)).toMatch(`${callback}?code=`);
  });
});
