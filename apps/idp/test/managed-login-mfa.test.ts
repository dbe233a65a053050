import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp } from './helpers.ts';
import { enrolTotp, newUser, setMfa, totpNow, wrongCode } from './mfa-helpers.ts';
import { callback, FormBrowser, oauthClients } from './oauth-helpers.ts';

// The managed login's MFA steps over plain HTTP: a right password alone never reaches the callback.
let t: TestIdp;
let clients: Awaited<ReturnType<typeof oauthClients>>;
beforeAll(async () => {
  t = await startTestIdp();
  clients = await oauthClients(t);
});
afterAll(() => t.close());

const authorizeUrl = () =>
  `/oauth2/authorize?${new URLSearchParams({ client_id: clients.spa.clientId, response_type: 'code', redirect_uri: callback })}`;

/** Authorize → /login → password; returns the page that follows (an MFA step or the redirect). */
async function password(browser: FormBrowser, email: string) {
  const login = (await browser.get(authorizeUrl())).location;
  const page = await browser.get(login);
  const { action, hidden } = FormBrowser.form(page.text);
  return browser.post(action, { ...hidden, username: email, password: poolPassword });
}

async function post(browser: FormBrowser, html: string, fields: Record<string, string>) {
  const { action, hidden } = FormBrowser.form(html);
  return browser.post(action, { ...hidden, ...fields });
}

describe('managed login with MFA', () => {
  it('asks a TOTP user for the code; a wrong code stays on the page, the right one reaches the callback', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'page-totp');
    const { secret } = await enrolTotp(t, email);
    const browser = new FormBrowser(t.idp.url);
    const step = await password(browser, email);
    expect(step.status).toBe(200);
    expect(step.location).toBe('');
    expect(step.text).toContain('Enter your authenticator code');
    expect(step.text).toContain('autocomplete="one-time-code"');
    const wrong = await post(browser, step.text, { code: wrongCode(t, secret) });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Invalid code or auth state for the user.');
    const done = await post(browser, wrong.text, { code: totpNow(t, secret) });
    expect(done.status).toBe(302);
    expect(done.location.startsWith(`${callback}?code=`)).toBe(true);
  });

  it('mails an e-mail MFA user a code and signs in with it', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'page-email');
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        EmailMfaSettings: { Enabled: true },
      }),
    );
    const browser = new FormBrowser(t.idp.url);
    const step = await password(browser, email);
    expect(step.text).toContain('Check your e-mail');
    expect(step.text).toContain('p***@e***');
    const done = await post(browser, step.text, { code: await t.lastCode(email, 'mfa') });
    expect(done.location.startsWith(`${callback}?code=`)).toBe(true);
  });

  it('lets a user with two factors choose one', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'page-choose');
    await enrolTotp(t, email);
    await t.cognito.send(
      new sdk.AdminSetUserMFAPreferenceCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        EmailMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
      }),
    );
    const browser = new FormBrowser(t.idp.url);
    const step = await password(browser, email);
    expect(step.text).toContain('Choose how to verify');
    const chosen = await post(browser, step.text, { answer: 'EMAIL_OTP' });
    expect(chosen.text).toContain('Check your e-mail');
    const done = await post(browser, chosen.text, { code: await t.lastCode(email, 'mfa') });
    expect(done.location.startsWith(`${callback}?code=`)).toBe(true);
  });

  it('with MFA ON, shows a QR code and key for a new authenticator and enrols it with the first code', async () => {
    await setMfa(t, 'ON', { totp: true });
    try {
      const email = await newUser(t, 'page-setup');
      const browser = new FormBrowser(t.idp.url);
      const step = await password(browser, email);
      expect(step.text).toContain('Set up an authenticator app');
      expect(step.text).toMatch(/<svg role="img" aria-label="QR code/);
      const secret = /<code id="totp-secret">([A-Z2-7]+)<\/code>/.exec(step.text)![1]!;
      const wrong = await post(browser, step.text, { code: wrongCode(t, secret) });
      expect(wrong.status).toBe(400);
      expect(wrong.text).toContain(secret);
      const done = await post(browser, wrong.text, { code: totpNow(t, secret) });
      expect(done.location.startsWith(`${callback}?code=`)).toBe(true);
      const user = await t.cognito.send(
        new sdk.AdminGetUserCommand({ UserPoolId: t.idp.pool.poolId, Username: email }),
      );
      expect(user.UserMFASettingList).toEqual(['SOFTWARE_TOKEN_MFA']);
    } finally {
      await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    }
  });

  it('does not let the API answer a managed-login MFA step (the page’s session is the page’s)', async () => {
    await setMfa(t, 'OPTIONAL', { totp: true, email: true });
    const email = await newUser(t, 'page-cross');
    const { secret } = await enrolTotp(t, email);
    const browser = new FormBrowser(t.idp.url);
    const step = await password(browser, email);
    const { hidden } = FormBrowser.form(step.text);
    const viaApi = await t.cognito
      .send(
        new sdk.RespondToAuthChallengeCommand({
          ClientId: clients.spa.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: hidden.mfa_session,
          ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totpNow(t, secret) },
        }),
      )
      .then(
        () => 'tokens',
        (e: Error) => e.name,
      );
    expect(viaApi).toBe('NotAuthorizedException');
  });

  it('refuses a forged or spent MFA session', async () => {
    const browser = new FormBrowser(t.idp.url);
    const login = (await browser.get(authorizeUrl())).location;
    const page = await browser.get(login);
    const forged = await post(browser, page.text, {
      mfa_session: 'made-up',
      mfa_name: 'SOFTWARE_TOKEN_MFA',
      code: '123456',
    });
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('Invalid session for the user, session is expired.');
  });
});
