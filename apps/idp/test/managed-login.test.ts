import { SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
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
