import { createHash } from 'node:crypto';
import { CreateUserPoolClientCommand, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';
import { callback, FormBrowser, oauthClients, signedOut } from './oauth-helpers.ts';
import { localVerifier } from './verifier.ts';

// The real openid-client (newest v6) against the IdP: discovery, authorization code + PKCE, refresh,
// client_credentials, userInfo and revocation. The login form is filled in with plain HTTP requests.
let t: TestIdp;
let clients: Awaited<ReturnType<typeof oauthClients>>;
const email = uniqueEmail('oidc');
const insecure = { execute: [oidc.allowInsecureRequests] };

beforeAll(async () => {
  t = await startTestIdp({ users: [{ email, password: poolPassword, name: 'Olive Oidc' }] });
  clients = await oauthClients(t);
});
afterAll(() => t.close());

const issuer = () => new URL(t.idp.pool.issuer);

async function codeFlow(config: oidc.Configuration, browser: FormBrowser, scope = 'openid email profile') {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const back = await browser.signIn(url.href, email, poolPassword);
  expect(back.startsWith(`${callback}?`)).toBe(true);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(back), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { tokens, back, url };
}

describe('openid-client against the IdP', () => {
  it('discovers exactly the endpoints the IdP serves', async () => {
    const config = await oidc.discovery(issuer(), clients.spa.clientId, undefined, oidc.None(), insecure);
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(t.idp.pool.issuer);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    for (const endpoint of [
      meta.authorization_endpoint,
      meta.token_endpoint,
      meta.userinfo_endpoint,
      meta.revocation_endpoint,
    ])
      expect(endpoint!.startsWith(t.idp.url)).toBe(true);
    // None of them is a 404: each answers its own errors.
    for (const [path, method] of [
      ['/oauth2/authorize', 'GET'],
      ['/oauth2/token', 'POST'],
      ['/oauth2/userInfo', 'GET'],
      ['/oauth2/revoke', 'POST'],
      ['/logout', 'GET'],
    ] as const)
      expect((await fetch(`${t.idp.url}${path}`, { method, redirect: 'manual' })).status).not.toBe(404);
  });

  it('signs in with code + PKCE: ID token with the nonce, at_hash and e-mail; a second authorize needs no form', async () => {
    const config = await oidc.discovery(issuer(), clients.spa.clientId, undefined, oidc.None(), insecure);
    const browser = new FormBrowser(t.idp.url);
    const { tokens, url } = await codeFlow(config, browser);
    const id = tokens.claims()!;
    expect(id).toMatchObject({ email, aud: clients.spa.clientId, token_use: 'id' });
    const atHash = createHash('sha256')
      .update(tokens.access_token)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    expect(id.at_hash).toBe(atHash);
    expect(claimsOf(tokens.access_token)).toMatchObject({
      scope: 'openid email profile',
      client_id: clients.spa.clientId,
      username: id['cognito:username'],
    });
    expect(tokens.refresh_token).toBeDefined();
    const verifier = localVerifier({
      issuer: t.idp.pool.issuer,
      jwksUri: t.idp.pool.jwksUri,
      clientIds: [clients.spa.clientId],
      tokenUse: 'access',
    });
    await verifier.verify(tokens.access_token);

    // Same browser, within the hour: straight back with a new code.
    const again = await browser.get(url.href);
    expect(again.status).toBe(302);
    expect(new URL(again.location).searchParams.get('code')).toBeTruthy();
    // A token without aws.cognito.signin.user.admin may not call the user-pool API.
    const refused = await t.cognito
      .send(new GetUserCommand({ AccessToken: tokens.access_token }))
      .catch((e) => e);
    expect(`${refused.name}: ${refused.message}`).toBe(
      'NotAuthorizedException: Access Token does not have required scopes',
    );
  });

  it('login_hint fills the username in; prompt=none returns a code for a signed-in browser', async () => {
    const browser = new FormBrowser(t.idp.url);
    const params = new URLSearchParams({
      client_id: clients.spa.clientId,
      response_type: 'code',
      redirect_uri: callback,
      state: 's2',
      login_hint: email,
    });
    const login = (await browser.get(`/oauth2/authorize?${params}`)).location;
    const page = await browser.get(login);
    expect(/<input id="f-username"[^>]*>/.exec(page.text)?.[0]).toContain(`value="${email}"`);
    await browser.signIn(`/oauth2/authorize?${params}`, email, poolPassword);
    params.set('prompt', 'none');
    const silent = new URL((await browser.get(`/oauth2/authorize?${params}`)).location);
    expect(`${silent.origin}${silent.pathname}`).toBe(callback);
    expect([!!silent.searchParams.get('code'), silent.searchParams.get('state')]).toEqual([true, 's2']);
  });

  it('a user client with a custom scope and no openid: the custom scope in the access token, no ID token', async () => {
    const custom = (
      await t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientName: 'custom-scope',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'api/items.read', 'aws.cognito.signin.user.admin'],
          CallbackURLs: [callback],
          SupportedIdentityProviders: ['COGNITO'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const config = await oidc.discovery(issuer(), custom, undefined, oidc.None(), insecure);
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: callback,
      scope: 'api/items.read aws.cognito.signin.user.admin',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const back = await new FormBrowser(t.idp.url).signIn(url.href, email, poolPassword);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(back), {
      pkceCodeVerifier: verifier,
      idTokenExpected: false,
    });
    expect(tokens.id_token).toBeUndefined();
    expect(String(claimsOf(tokens.access_token).scope).split(' ').sort()).toEqual([
      'api/items.read',
      'aws.cognito.signin.user.admin',
    ]);
    // aws.cognito.signin.user.admin lets the token call the user-pool API.
    const me = await t.cognito.send(new GetUserCommand({ AccessToken: tokens.access_token }));
    expect(me.UserAttributes!.find((a) => a.Name === 'email')!.Value).toBe(email);
  });

  it('refreshes, reads userInfo, and after revocation neither works', async () => {
    const config = await oidc.discovery(issuer(), clients.spa.clientId, undefined, oidc.None(), insecure);
    const { tokens } = await codeFlow(config, new FormBrowser(t.idp.url));
    const sub = tokens.claims()!.sub;
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeUndefined();
    expect(claimsOf(refreshed.access_token).origin_jti).toBe(claimsOf(tokens.access_token).origin_jti);

    const info = await oidc.fetchUserInfo(config, refreshed.access_token, sub);
    expect(info).toMatchObject({ sub, email, email_verified: 'true', name: 'Olive Oidc' });

    await oidc.tokenRevocation(config, tokens.refresh_token!);
    await expect(oidc.fetchUserInfo(config, refreshed.access_token, sub)).rejects.toMatchObject({
      status: 401,
    });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('limits userInfo to the scopes: openid email gives no name', async () => {
    const config = await oidc.discovery(issuer(), clients.spa.clientId, undefined, oidc.None(), insecure);
    const { tokens } = await codeFlow(config, new FormBrowser(t.idp.url), 'openid email');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(info.email).toBe(email);
    expect(info.name).toBeUndefined();
  });

  it('profile gives every attribute the client may read (Cognito: not only the OIDC profile claims)', async () => {
    const config = await oidc.discovery(issuer(), clients.spa.clientId, undefined, oidc.None(), insecure);
    const { tokens } = await codeFlow(config, new FormBrowser(t.idp.url), 'openid profile');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect([info.name, info.email, info.email_verified]).toEqual(['Olive Oidc', email, 'true']);
  });

  it('a code for a scope whose attributes the client cannot all read is invalid_grant at the token endpoint', async () => {
    const reader = (
      await t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: t.idp.pool.poolId,
          ClientName: 'reads-email-only',
          AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'],
          CallbackURLs: [callback],
          SupportedIdentityProviders: ['COGNITO'],
          // email without email_verified: Cognito's own example of the refusal.
          ReadAttributes: ['email', 'name'],
        }),
      )
    ).UserPoolClient!.ClientId!;
    const config = await oidc.discovery(issuer(), reader, undefined, oidc.None(), insecure);
    await expect(codeFlow(config, new FormBrowser(t.idp.url), 'openid email')).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const { tokens } = await codeFlow(config, new FormBrowser(t.idp.url), 'openid profile');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect([info.name, info.email, info.email_verified]).toEqual(['Olive Oidc', email, undefined]);
  });

  it('a confidential client with rotation (client_secret_basic and _post) gets a new refresh token each time', async () => {
    for (const auth of [
      oidc.ClientSecretBasic(clients.server.clientSecret),
      oidc.ClientSecretPost(clients.server.clientSecret),
    ]) {
      const config = await oidc.discovery(issuer(), clients.server.clientId, undefined, auth, insecure);
      const { tokens } = await codeFlow(config, new FormBrowser(t.idp.url));
      const next = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
      expect(next.refresh_token).toBeDefined();
      expect(next.refresh_token).not.toBe(tokens.refresh_token);
      await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
        error: 'invalid_grant',
      });
    }
    const wrong = await oidc.discovery(
      issuer(),
      clients.server.clientId,
      undefined,
      oidc.ClientSecretBasic('nope'),
      insecure,
    );
    await expect(oidc.clientCredentialsGrant(wrong)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('client_credentials: sub = client id, resource-server scopes only, no ID or refresh token', async () => {
    const config = await oidc.discovery(
      issuer(),
      clients.machine.clientId,
      undefined,
      oidc.ClientSecretBasic(clients.machine.clientSecret),
      insecure,
    );
    const all = await oidc.clientCredentialsGrant(config);
    expect(all.id_token).toBeUndefined();
    expect(all.refresh_token).toBeUndefined();
    const claims = claimsOf(all.access_token);
    expect(claims).toMatchObject({
      sub: clients.machine.clientId,
      client_id: clients.machine.clientId,
      token_use: 'access',
    });
    expect(String(claims.scope).split(' ').sort()).toEqual(['api/items.read', 'api/items.write']);
    expect(claims.username).toBeUndefined();
    expect(claims['cognito:groups']).toBeUndefined();
    const one = await oidc.clientCredentialsGrant(config, { scope: 'api/items.read' });
    expect(claimsOf(one.access_token).scope).toBe('api/items.read');
    await expect(oidc.clientCredentialsGrant(config, { scope: 'openid' })).rejects.toMatchObject({
      error: 'invalid_scope',
    });
    const verifier = localVerifier({
      issuer: t.idp.pool.issuer,
      jwksUri: t.idp.pool.jwksUri,
      clientIds: [clients.machine.clientId],
      tokenUse: 'access',
    });
    await verifier.verify(one.access_token);
  });
});

describe('authorize and token endpoint errors', () => {
  const authorize = (params: Record<string, string>) =>
    fetch(`${t.idp.url}/oauth2/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const token = (body: Record<string, string>) =>
    fetch(`${t.idp.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });

  it('a redirect_uri that is not registered exactly lands on /error, never on the redirect_uri', async () => {
    for (const redirect_uri of [`${callback}/`, 'https://evil.example.com/callback', ''])
      expect(
        (
          await authorize({ client_id: clients.spa.clientId, response_type: 'code', redirect_uri })
        ).headers.get('location'),
      ).toBe(`/error?error=redirect_mismatch&client_id=${clients.spa.clientId}`);
    const page = await fetch(`${t.idp.url}/error?error=redirect_mismatch&client_id=x`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('An error was encountered with the requested page.');
  });

  it('other problems go back to the redirect_uri with error and state', async () => {
    const base = { client_id: clients.spa.clientId, redirect_uri: callback, state: 'abc' };
    const cases: Array<[Record<string, string>, string]> = [
      [{ response_type: 'code', code_challenge: 'x', code_challenge_method: 'plain' }, 'invalid_request'],
      [{ response_type: 'code', scope: 'openid api/items.read' }, 'invalid_scope'],
      [{ response_type: 'code', scope: 'email' }, 'invalid_scope'],
      [{ response_type: 'code', prompt: 'none' }, 'login_required'],
      [{ response_type: 'id_token' }, 'unsupported_response_type'],
    ];
    for (const [extra, error] of cases) {
      const location = new URL((await authorize({ ...base, ...extra })).headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(callback);
      expect([location.searchParams.get('error'), location.searchParams.get('state')]).toEqual([
        error,
        'abc',
      ]);
    }
  });

  it('codes are single-use, bound to the verifier and the redirect_uri', async () => {
    const browser = new FormBrowser(t.idp.url);
    const verifier = oidc.randomPKCECodeVerifier();
    const params = new URLSearchParams({
      client_id: clients.spa.clientId,
      response_type: 'code',
      redirect_uri: callback,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const code = async () =>
      new URL(
        await browser.signIn(`${t.idp.url}/oauth2/authorize?${params}`, email, poolPassword),
      ).searchParams.get('code')!;
    const grant = {
      grant_type: 'authorization_code',
      client_id: clients.spa.clientId,
      redirect_uri: callback,
    };
    expect(
      await (
        await token({ ...grant, code: await code(), code_verifier: oidc.randomPKCECodeVerifier() })
      ).json(),
    ).toEqual({
      error: 'invalid_grant',
    });
    expect(
      await (
        await token({ ...grant, code: await code(), redirect_uri: `${callback}/`, code_verifier: verifier })
      ).json(),
    ).toEqual({
      error: 'invalid_grant',
    });
    const once = await code();
    const ok = await token({ ...grant, code: once, code_verifier: verifier });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(await (await token({ ...grant, code: once, code_verifier: verifier })).json()).toEqual({
      error: 'invalid_grant',
    });
    expect(await (await token({ grant_type: 'password', client_id: clients.spa.clientId })).json()).toEqual({
      error: 'unsupported_grant_type',
    });
    expect(
      await (await token({ grant_type: 'client_credentials', client_id: clients.spa.clientId })).json(),
    ).toEqual({
      error: 'unauthorized_client',
    });
    expect((await token({ grant_type: 'client_credentials', client_id: 'nobody' })).status).toBe(400);
  });

  it('a grant without a parameter it requires is invalid_request, not invalid_grant (Cognito’s example)', async () => {
    const spa = clients.spa.clientId;
    const cases: Array<[Record<string, string>, string]> = [
      [{ grant_type: 'refresh_token', client_id: spa }, 'refresh_token'],
      [{ grant_type: 'refresh_token', client_id: spa, refresh_token: '' }, 'refresh_token'],
      [{ grant_type: 'authorization_code', client_id: spa, redirect_uri: callback }, 'code'],
      [{ grant_type: 'authorization_code', client_id: spa, code: 'x' }, 'redirect_uri'],
    ];
    for (const [body, name] of cases) {
      const res = await token(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: `${name} is required for this grant_type.`,
      });
    }
    // A present but unknown refresh token is still a failed grant.
    expect(
      await (await token({ grant_type: 'refresh_token', client_id: spa, refresh_token: 'nope' })).json(),
    ).toEqual({ error: 'invalid_grant' });
  });

  it('userInfo without a bearer token answers Cognito’s documented invalid_request', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(`${t.idp.url}/oauth2/userInfo`, { method });
      expect(res.status).toBe(400);
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"',
      );
    }
  });

  it('implicit grant returns tokens in the fragment, never a refresh token', async () => {
    const browser = new FormBrowser(t.idp.url);
    const params = new URLSearchParams({
      client_id: clients.spa.clientId,
      response_type: 'token',
      redirect_uri: callback,
      scope: 'openid email',
      state: 's1',
    });
    const back = new URL(
      await browser.signIn(`${t.idp.url}/oauth2/authorize?${params}`, email, poolPassword),
    );
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect(fragment.get('access_token')).toBeTruthy();
    expect(fragment.get('id_token')).toBeTruthy();
    expect(fragment.get('refresh_token')).toBeNull();
    expect([fragment.get('token_type'), fragment.get('state')]).toEqual(['Bearer', 's1']);
  });

  it('/logout clears the session and only goes to a registered logout_uri', async () => {
    const browser = new FormBrowser(t.idp.url);
    const params = new URLSearchParams({
      client_id: clients.spa.clientId,
      response_type: 'code',
      redirect_uri: callback,
    });
    const authorizeUrl = `${t.idp.url}/oauth2/authorize?${params}`;
    await browser.signIn(authorizeUrl, email, poolPassword);
    expect((await browser.get(authorizeUrl)).location.startsWith(callback)).toBe(true);
    const bad = await browser.get(
      `/logout?client_id=${clients.spa.clientId}&logout_uri=${encodeURIComponent('https://evil.example.com/')}`,
    );
    expect(bad.location).toBe(`/error?error=redirect_mismatch&client_id=${clients.spa.clientId}`);
    const out = await browser.get(
      `/logout?client_id=${clients.spa.clientId}&logout_uri=${encodeURIComponent(signedOut)}`,
    );
    expect(out.location).toBe(signedOut);
    expect((await browser.get(authorizeUrl)).location.startsWith('/login?')).toBe(true);
  });

  it('refuses a login post without the CSRF token (a cross-site form)', async () => {
    const params = new URLSearchParams({
      client_id: clients.spa.clientId,
      response_type: 'code',
      redirect_uri: callback,
    });
    const res = await fetch(`${t.idp.url}/login?${params}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: email, password: poolPassword }),
    });
    expect(res.status).toBe(403);
    const page = await fetch(`${t.idp.url}/login?${params}`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('set-cookie')).toMatch(/SameSite=Strict/);
  });
});
