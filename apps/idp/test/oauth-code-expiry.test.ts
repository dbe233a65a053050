import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { callback, FormBrowser, oauthClients } from './oauth-helpers.ts';

// Time-bound OAuth state on the IdP's own clock (moved, never slept): authorization codes live five
// minutes (Cognito's value), the managed-login session one hour.
let t: TestIdp;
let clients: Awaited<ReturnType<typeof oauthClients>>;
const email = uniqueEmail('expiry');
beforeAll(async () => {
  t = await startTestIdp({ users: [{ email, password: poolPassword }] });
  clients = await oauthClients(t);
});
afterAll(() => t.close());

const params = () =>
  new URLSearchParams({ client_id: clients.spa.clientId, response_type: 'code', redirect_uri: callback });

/** The code from the callback URL the sign-in (or the session) sent the browser to. */
const codeOf = (location: string) => new URL(location).searchParams.get('code')!;

const redeem = (code: string) =>
  fetch(`${t.idp.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clients.spa.clientId,
      code,
      redirect_uri: callback,
    }),
  });

describe('authorization codes and browser sessions expire on the IdP clock', () => {
  it('redeems a code just inside five minutes and refuses one just past them (invalid_grant)', async () => {
    const browser = new FormBrowser(t.idp.url);
    const first = codeOf(await browser.signIn(`/oauth2/authorize?${params()}`, email, poolPassword));
    t.clock.advance(5 * 60_000 - 1000);
    const inTime = await redeem(first);
    expect(inTime.status).toBe(200);
    expect(await inTime.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });

    // The session cookie answers the next authorize with a fresh code, at once.
    const second = codeOf((await browser.get(`/oauth2/authorize?${params()}`)).location);
    t.clock.advance(5 * 60_000 + 1000);
    const late = await redeem(second);
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ error: 'invalid_grant' });
  });

  it('ends the managed-login session after an hour: authorize shows the form again', async () => {
    const browser = new FormBrowser(t.idp.url);
    await browser.signIn(`/oauth2/authorize?${params()}`, email, poolPassword);
    t.clock.advance(59 * 60_000);
    expect((await browser.get(`/oauth2/authorize?${params()}`)).location.startsWith(callback)).toBe(true);
    t.clock.advance(2 * 60_000);
    expect(new URL((await browser.get(`/oauth2/authorize?${params()}`)).location, 'http://x').pathname).toBe(
      '/login',
    );
  });
});
