import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { callback, FormBrowser, oauthClients } from './oauth-helpers.ts';

// The managed-login pages driven over plain HTTP (the Chromium test covers sign-in and sign-up):
// password reset, code resend, unconfirmed accounts, lockout and prompt=login.
let t: TestIdp;
let clients: Awaited<ReturnType<typeof oauthClients>>;
const email = uniqueEmail('pages');
beforeAll(async () => {
  t = await startTestIdp({ users: [{ email, password: poolPassword }] });
  clients = await oauthClients(t);
});
afterAll(() => t.close());

const authorizeUrl = () =>
  `/oauth2/authorize?${new URLSearchParams({ client_id: clients.spa.clientId, response_type: 'code', redirect_uri: callback })}`;

/** Opens `path`, fills its form with `fields`, posts it; returns the answer. */
async function submit(browser: FormBrowser, path: string, fields: Record<string, string>) {
  const page = await browser.get(path);
  expect(page.status).toBe(200);
  const { action, hidden } = FormBrowser.form(page.text);
  return browser.post(action, { ...hidden, ...fields });
}

const loginPath = async (browser: FormBrowser) => (await browser.get(authorizeUrl())).location;
const pathOf = (location: string) => new URL(location, 'http://x').pathname;

describe('managed-login pages', () => {
  it('resets a password with the mailed code, then signs in with the new one', async () => {
    const browser = new FormBrowser(t.idp.url);
    const login = await loginPath(browser);
    const forgot = login.replace('/login?', '/forgotPassword?');
    const sent = await submit(browser, forgot, { username: email });
    expect(pathOf(sent.location)).toBe('/confirmforgotPassword');
    const code = await t.lastCode(email, 'reset');
    const wrong = await submit(browser, sent.location, {
      code: code === '000000' ? '111111' : '000000',
      password: 'a new long passphrase',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Invalid verification code provided, please try again.');
    const done = await submit(browser, sent.location, { code, password: 'a new long passphrase' });
    expect(pathOf(done.location)).toBe('/login');
    const page = await browser.get(done.location);
    expect(page.text).toContain('Your password has been changed.');
    const { action, hidden } = FormBrowser.form(page.text);
    const signedIn = await browser.post(action, {
      ...hidden,
      username: email,
      password: 'a new long passphrase',
    });
    expect(signedIn.location.startsWith(`${callback}?code=`)).toBe(true);
  });

  it('sends an unconfirmed account with the right password to the code page, and resends the code', async () => {
    const unconfirmed = uniqueEmail('unconfirmed');
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clients.spa.clientId,
        Username: unconfirmed,
        Password: poolPassword,
        UserAttributes: [{ Name: 'email', Value: unconfirmed }],
      }),
    );
    const first = await t.lastCode(unconfirmed, 'signup');
    const browser = new FormBrowser(t.idp.url);
    const atConfirm = await submit(browser, await loginPath(browser), {
      username: unconfirmed,
      password: poolPassword,
    });
    expect(pathOf(atConfirm.location)).toBe('/confirm');
    const resent = await submit(browser, atConfirm.location.replace('/confirm?', '/resendcode?'), {
      username: unconfirmed,
    });
    expect(pathOf(resent.location)).toBe('/confirm');
    const second = await t.lastCode(unconfirmed, 'signup');
    expect((await t.mailbox(unconfirmed)).filter((m) => m.kind === 'signup')).toHaveLength(2);
    const confirmed = await submit(browser, resent.location, { code: second });
    expect(pathOf(confirmed.location)).toBe('/login');
    expect(first).toMatch(/^\d{6}$/);
  });

  it("shows Cognito's lockout message after repeated wrong passwords", async () => {
    const browser = new FormBrowser(t.idp.url);
    const login = await loginPath(browser);
    const messages: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await submit(browser, login, { username: email, password: `wrong password ${i}` });
      messages.push(/role="alert" id="form-error">([^<]+)</.exec(res.text)?.[1] ?? '');
    }
    expect(messages[0]).toBe('Incorrect username or password.');
    expect(messages.at(-1)).toBe('Password attempts exceeded');
  });

  it('prompt=login shows the form even when the browser is signed in', async () => {
    const fresh = uniqueEmail('prompt');
    const other = await startTestIdp({ users: [{ email: fresh, password: poolPassword }] });
    try {
      const c = await oauthClients(other);
      const browser = new FormBrowser(other.idp.url);
      const params = new URLSearchParams({
        client_id: c.spa.clientId,
        response_type: 'code',
        redirect_uri: callback,
      });
      await browser.signIn(`/oauth2/authorize?${params}`, fresh, poolPassword);
      expect((await browser.get(`/oauth2/authorize?${params}`)).location.startsWith(callback)).toBe(true);
      params.set('prompt', 'login');
      expect(pathOf((await browser.get(`/oauth2/authorize?${params}`)).location)).toBe('/login');
    } finally {
      await other.close();
    }
  });
});

describe('managed login for pools that do not sign in with an e-mail (ADR 0213)', () => {
  /** A pool made through the SDK as on AWS, with a hosted-UI client; its authorize URL. */
  async function poolWithClient(input: Omit<CreateUserPoolCommandInput, 'PoolName'>) {
    const UserPoolId = (await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'pages', ...input })))
      .UserPool!.Id!;
    const client = (
      await t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId,
          ClientName: 'hosted',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [callback],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!;
    return `/oauth2/authorize?${new URLSearchParams({ client_id: client.ClientId!, response_type: 'code', redirect_uri: callback })}`;
  }
  // CreateUserPool's default policy: upper and lower case, a number and a symbol.
  const strong = 'Correct-Horse-9-battery';
  const usernameInput = (html: string) => /<input id="f-username"[^>]*>/.exec(html)?.[0] ?? '';
  const labelOf = (html: string, name: string) =>
    new RegExp(`<label for="f-${name}">([^<]+)</label>`).exec(html)?.[1];

  it('a username pool: signs up with a username and an e-mail for the code, confirms, signs in by username', async () => {
    const authorize = await poolWithClient({ AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'] });
    const browser = new FormBrowser(t.idp.url);
    const login = (await browser.get(authorize)).location;
    const loginPage = await browser.get(login);
    expect(labelOf(loginPage.text, 'username')).toBe('Username or e-mail address');
    expect(usernameInput(loginPage.text)).toContain('type="text"');

    const signUp = login.replace('/login?', '/signup?');
    const form = await browser.get(signUp);
    expect([labelOf(form.text, 'username'), labelOf(form.text, 'attr_email')]).toEqual([
      'Username or e-mail address',
      'E-mail address',
    ]);
    const address = uniqueEmail('ursula');
    const username = `ursula${Date.now()}`;
    const signedUp = await submit(browser, signUp, {
      username,
      attr_email: address,
      password: strong,
    });
    expect(/role="alert" id="form-error">([^<]+)</.exec(signedUp.text)?.[1]).toBeUndefined();
    expect(pathOf(signedUp.location)).toBe('/confirm');
    const confirmPage = await browser.get(signedUp.location);
    expect(confirmPage.text).toContain(`We sent a code for ${username}.`);
    expect(confirmPage.text).toContain('The 6-digit code from the e-mail we sent you.');
    const confirmed = await submit(browser, signedUp.location, {
      code: await t.lastCode(address, 'signup'),
    });
    expect(pathOf(confirmed.location)).toBe('/login');

    const empty = await submit(browser, confirmed.location, { username: '', password: '' });
    expect(empty.text).toContain('Enter your username or e-mail address and password.');
    const signedIn = await submit(browser, confirmed.location, { username, password: strong });
    expect(signedIn.location.startsWith(`${callback}?code=`)).toBe(true);
    // The e-mail alias signs in too, once verified by the confirmation.
    const again = new FormBrowser(t.idp.url);
    const viaAlias = await submit(again, (await again.get(authorize)).location, {
      username: address,
      password: strong,
    });
    expect(viaAlias.location.startsWith(`${callback}?code=`)).toBe(true);
  });

  it('a client without COGNITO in SupportedIdentityProviders gets no password form, sign-up or reset', async () => {
    const UserPoolId = (await t.cognito.send(new CreateUserPoolCommand({ PoolName: 'no-cognito' }))).UserPool!
      .Id!;
    const client = (
      await t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId,
          ClientName: 'no idp',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: [callback],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const params = new URLSearchParams({ client_id: client, response_type: 'code', redirect_uri: callback });
    const browser = new FormBrowser(t.idp.url);
    const login = (await browser.get(`/oauth2/authorize?${params}`)).location;
    const page = await browser.get(login);
    expect(page.status).toBe(400);
    expect(page.text).toContain('Login option is not available. Please try another one');
    expect(page.text).not.toContain('<form');
    for (const path of ['/signup', '/forgotPassword', '/confirm', '/resendcode', '/confirmforgotPassword']) {
      const other = await browser.get(login.replace('/login?', `${path}?`));
      expect([other.status, other.text.includes('Login option is not available')]).toEqual([400, true]);
    }
    // Naming COGNITO does not open it either: back to the app with invalid_request, as for any
    // provider the client does not support.
    params.set('identity_provider', 'COGNITO');
    params.set('state', 's3');
    const named = new URL((await browser.get(`/oauth2/authorize?${params}`)).location);
    expect([named.searchParams.get('error'), named.searchParams.get('state')]).toEqual([
      'invalid_request',
      's3',
    ]);
  });

  it('an admin-only pool (AllowAdminCreateUserOnly) offers no sign-up: no link, and /signup says why', async () => {
    const authorize = await poolWithClient({
      UsernameAttributes: ['email'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    const browser = new FormBrowser(t.idp.url);
    const login = (await browser.get(authorize)).location;
    const page = await browser.get(login);
    expect(page.text).not.toContain('Create an account');
    expect(page.text).toContain('Forgot your password?');
    const closed = await browser.get(login.replace('/login?', '/signup?'));
    expect(closed.status).toBe(403);
    expect(closed.text).toContain('SignUp is not permitted for this user pool');
    expect(closed.text).not.toContain('<form');
  });

  it('a phone-number pool asks for a phone number and signs it up as phone_number', async () => {
    const authorize = await poolWithClient({
      UsernameAttributes: ['phone_number'],
      AutoVerifiedAttributes: ['phone_number'],
    });
    const browser = new FormBrowser(t.idp.url);
    const login = (await browser.get(authorize)).location;
    const page = await browser.get(login);
    expect(labelOf(page.text, 'username')).toBe('Phone number');
    expect(usernameInput(page.text)).toContain('type="tel"');
    const phone = `+1555${String(Date.now()).slice(-7)}`;
    const signedUp = await submit(browser, login.replace('/login?', '/signup?'), {
      username: phone,
      password: strong,
    });
    expect(/role="alert" id="form-error">([^<]+)</.exec(signedUp.text)?.[1]).toBeUndefined();
    expect(pathOf(signedUp.location)).toBe('/confirm');
    const confirmPage = await browser.get(signedUp.location);
    expect(confirmPage.text).toContain('The 6-digit code from the text message we sent you.');
    const confirmed = await submit(browser, signedUp.location, { code: await t.lastCode(phone, 'sms') });
    expect(pathOf(confirmed.location)).toBe('/login');
    const signedIn = await submit(browser, confirmed.location, { username: phone, password: strong });
    expect(signedIn.location.startsWith(`${callback}?code=`)).toBe(true);
  });
});
