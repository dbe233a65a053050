import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf } from '../helpers.ts';
import { callback, FormBrowser } from '../oauth-helpers.ts';
import { confirmedUser, type Event, password, startTriggerIdp, type TriggerIdp } from './harness.ts';

let t: TriggerIdp;
beforeAll(async () => {
  t = await startTriggerIdp();
});
afterAll(() => t.close());

describe('TokenGeneration_HostedAuth: the managed login (authorization code grant)', () => {
  it('PreAuthentication, PostAuthentication and PreTokenGeneration V2_0 run; the claim is in the tokens the code buys', async () => {
    await t.configure(['PreAuthentication', 'PostAuthentication', 'PreTokenGeneration'], {
      preTokenVersion: 'V2_0',
    });
    t.on('PreTokenGeneration', (e: Event) => ({
      ...e,
      response: {
        claimsAndScopeOverrideDetails: {
          idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme' } },
          accessTokenGeneration: { claimsToAddOrOverride: { plan: 'pro' } },
        },
      },
    }));
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
    const clientId = UserPoolClient!.ClientId!;
    const email = await confirmedUser(t, 'hosted');
    const browser = new FormBrowser(t.idp.url);
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: callback,
      scope: 'openid email',
    });
    const back = new URL(await browser.signIn(`/oauth2/authorize?${params}`, email, password));
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();
    const res = await fetch(`${t.idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: code!,
        redirect_uri: callback,
      }),
    });
    expect(res.status).toBe(200);
    const tokens = (await res.json()) as { id_token: string; access_token: string };
    expect(claimsOf(tokens.id_token)).toMatchObject({ email, tenant: 'acme' });
    expect(claimsOf(tokens.access_token)).toMatchObject({ plan: 'pro', client_id: clientId });
    const [pre] = t.events.PreTokenGeneration;
    expect(pre).toMatchObject({
      triggerSource: 'TokenGeneration_HostedAuth',
      version: '2',
      callerContext: { clientId },
      request: { userAttributes: { email }, scopes: expect.arrayContaining(['openid', 'email']) },
    });
    expect(t.events.PreAuthentication[0]).toMatchObject({
      triggerSource: 'PreAuthentication_Authentication',
    });
    expect(t.events.PostAuthentication[0]).toMatchObject({
      triggerSource: 'PostAuthentication_Authentication',
    });
  });
});
