import {
  AdminGetUserCommand,
  AdminListUserAuthEventsCommand,
  CreateUserPoolCommand,
  ListGroupsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizePath,
  federatedCallback,
  federationFixture,
  mockUsers,
  redeemCallback,
  startFederatedIdp,
  throughProvider,
} from './federation-helpers.ts';
import { claimsOf } from './helpers.ts';
import { FormBrowser } from './oauth-helpers.ts';
import type { Event, TriggerIdp } from './triggers/harness.ts';

// A federated sign-in through the managed login and the mock OIDC provider (ADR 0160, 0161), over
// plain HTTP; the Chromium test drives the same pages in a browser.
let t: TriggerIdp;
let fx: Awaited<ReturnType<typeof startFederatedIdp>>['fx'];
let close: () => Promise<void>;
beforeAll(async () => {
  ({ t, fx, close } = await startFederatedIdp());
});
afterAll(() => close?.());
beforeEach(() => t.reset());

const redeem = (location: string) => redeemCallback(t, fx.clientId, location);

describe('federation through an OIDC provider', () => {
  it('offers "Sign in with MockGoogle" on the login page, and the button goes to the provider', async () => {
    const browser = new FormBrowser(t.idp.url);
    const start = await browser.get(authorizePath(fx.clientId));
    const page = await browser.get(start.location);
    expect(page.text).toContain('Sign in with MockGoogle');
    const button = /<form method="get" action="\/oauth2\/authorize">(.*?)<\/form>/.exec(page.text)![1]!;
    const fields = Object.fromEntries(
      [...button.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1]!,
        m[2]!.replace(/&amp;/g, '&'),
      ]),
    );
    expect(fields.identity_provider).toBe('MockGoogle');
    const answer = await throughProvider(
      browser,
      fx.mock,
      `/oauth2/authorize?${new URLSearchParams(fields)}`,
      mockUsers[2]!.sub,
    );
    expect(answer.location.startsWith(`${federatedCallback}?code=`)).toBe(true);
  });

  it('creates <provider>_<sub> as Cognito does: EXTERNAL_PROVIDER, identities, the provider group, mapped attributes', async () => {
    await t.configure(['PreSignUp', 'PostConfirmation', 'PreAuthentication', 'PostAuthentication']);
    const ada = mockUsers[0]!;
    const answer = await throughProvider(
      new FormBrowser(t.idp.url),
      fx.mock,
      authorizePath(fx.clientId, { identity_provider: 'MockGoogle', state: 'app-state' }),
      ada.sub,
    );
    expect(new URL(answer.location).searchParams.get('state')).toBe('app-state');
    const tokens = await redeem(answer.location);
    const id = claimsOf(tokens.id_token);
    const username = `MockGoogle_${ada.sub}`;
    const group = `${t.poolId}_MockGoogle`;
    expect(id).toMatchObject({
      'cognito:username': username,
      'cognito:groups': [group],
      email: ada.email,
      email_verified: true,
      name: ada.name,
      token_use: 'id',
      aud: fx.clientId,
    });
    expect(id.identities).toEqual([
      {
        userId: ada.sub,
        providerName: 'MockGoogle',
        providerType: 'OIDC',
        issuer: null,
        primary: 'true',
        dateCreated: expect.stringMatching(/^\d{13}$/),
      },
    ]);
    expect(claimsOf(tokens.access_token)).toMatchObject({ username, 'cognito:groups': [group] });
    // Claim by claim, what Cognito's tokens for a federated user through the code flow carry.
    // The ID token adds `identities` and, from the code flow, `at_hash` to a native user's claims.
    expect(Object.keys(id).sort()).toEqual(
      [
        'at_hash',
        'aud',
        'auth_time',
        'cognito:groups',
        'cognito:username',
        'email',
        'email_verified',
        'event_id',
        'exp',
        'iat',
        'identities',
        'iss',
        'jti',
        'name',
        'origin_jti',
        'sub',
        'token_use',
      ].sort(),
    );
    expect(Object.keys(claimsOf(tokens.access_token)).sort()).toEqual(
      [
        'auth_time',
        'client_id',
        'cognito:groups',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'scope',
        'sub',
        'token_use',
        'username',
        'version',
      ].sort(),
    );

    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: t.poolId, Username: username }));
    expect(user.UserStatus).toBe('EXTERNAL_PROVIDER');
    const attrs = Object.fromEntries(user.UserAttributes!.map((a) => [a.Name, a.Value]));
    expect(JSON.parse(attrs.identities!)).toEqual([
      {
        userId: ada.sub,
        providerName: 'MockGoogle',
        providerType: 'OIDC',
        issuer: null,
        primary: true,
        dateCreated: expect.any(Number),
      },
    ]);
    expect(attrs).toMatchObject({ email: ada.email, email_verified: 'true', name: ada.name });
    const groups = await t.cognito.send(new ListGroupsCommand({ UserPoolId: t.poolId }));
    expect(groups.Groups!.find((g) => g.GroupName === group)?.Description).toBe(
      'Autogenerated group for users who sign in using MockGoogle',
    );

    // The triggers Cognito runs on a first federated sign-in, with its sources and user status.
    const pre: Event = t.events.PreSignUp[0];
    expect(pre).toMatchObject({
      triggerSource: 'PreSignUp_ExternalProvider',
      userName: username,
      request: { userAttributes: { email: ada.email, email_verified: 'true', name: ada.name } },
    });
    expect(t.events.PostConfirmation[0]).toMatchObject({
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      request: { userAttributes: { 'cognito:user_status': 'EXTERNAL_PROVIDER' } },
    });
    expect(t.events.PostAuthentication).toHaveLength(1);

    // The second sign-in finds the same user: no new PreSignUp, still one user.
    t.reset();
    const again = await throughProvider(
      new FormBrowser(t.idp.url),
      fx.mock,
      authorizePath(fx.clientId, { identity_provider: 'MockGoogle' }),
      ada.sub,
    );
    expect(claimsOf((await redeem(again.location)).id_token)['cognito:username']).toBe(username);
    expect(t.events.PreSignUp).toHaveLength(0);
  });

  it('a PreSignUp_ExternalProvider refusal goes back to the app as Cognito sends it', async () => {
    await t.configure(['PreSignUp']);
    t.on('PreSignUp', () => {
      throw new Error('no federated sign-ups');
    });
    const answer = await throughProvider(
      new FormBrowser(t.idp.url),
      fx.mock,
      authorizePath(fx.clientId, { identity_provider: 'MockGoogle', state: 's1' }),
      mockUsers[1]!.sub,
    );
    const back = new URL(answer.location);
    expect(back.origin + back.pathname).toBe(federatedCallback);
    expect(Object.fromEntries(back.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'PreSignUp failed with error no federated sign-ups.',
      state: 's1',
    });
    await expect(
      t.cognito.send(
        new AdminGetUserCommand({ UserPoolId: t.poolId, Username: `MockGoogle_${mockUsers[1]!.sub}` }),
      ),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('refuses an identity_provider the client does not support, and a replayed provider answer', async () => {
    const browser = new FormBrowser(t.idp.url);
    const bad = await browser.get(authorizePath(fx.clientId, { identity_provider: 'Nope', state: 'x' }));
    expect(new URL(bad.location).searchParams.get('error')).toBe('invalid_request');
    const stale = await browser.get('/oauth2/idpresponse?code=abc&state=never-issued');
    expect(stale.status).toBe(400);
  });

  it('records no auth event for a federated sign-in, even with threat protection on (as Cognito)', async () => {
    // Cognito's threat protection, which keeps the events AdminListUserAuthEvents lists, does not
    // apply to federated sign-in ("You can't use threat protection with federated sign-in").
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'federated-events',
        UsernameAttributes: ['email'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
      }),
    );
    const audited = await federationFixture(t.cognito, t.idp.url, UserPool!.Id!);
    try {
      const alan = mockUsers[2]!;
      const answer = await throughProvider(
        new FormBrowser(t.idp.url),
        audited.mock,
        authorizePath(audited.clientId, { identity_provider: 'MockGoogle' }),
        alan.sub,
      );
      const { id } = await redeemCallback(t, audited.clientId, answer.location);
      expect(id['cognito:username']).toBe(`MockGoogle_${alan.sub}`);
      const events = await t.cognito.send(
        new AdminListUserAuthEventsCommand({ UserPoolId: UserPool!.Id!, Username: `MockGoogle_${alan.sub}` }),
      );
      expect(events.AuthEvents).toEqual([]);
    } finally {
      await audited.close();
    }
  });
});
