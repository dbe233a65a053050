/** The one env mapping and the one config.json writer, checked against the parts' own validators. */
import { loadConfig } from '@app/api/config';
import type { PoolInfo } from '@app/idp';
import { definition } from '@app/pool-definition';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../../apps/web/src/config/config.ts';
import { apiEnv } from './api-env.ts';
import { poolIdsFromBootstrap } from './pool.ts';
import { spaSecurityHeaders } from './security-headers.ts';
import { hostedUiAppUrls, webConfig } from './web-config.ts';

const webClient = () => definition.clients.find((c) => !c.generateSecret && !c.nativeApp)!;

const pool: PoolInfo = {
  poolId: 'us-east-1_AbC123xyz',
  region: 'us-east-1',
  issuer: 'http://127.0.0.1:9339/us-east-1_AbC123xyz',
  jwksUri: 'http://127.0.0.1:9339/us-east-1_AbC123xyz/.well-known/jwks.json',
  clients: {
    web: { clientId: 'webclient1' },
    backend: { clientId: 'backendclient1', clientSecret: 'not-a-real-secret' },
    cli: { clientId: 'cliclient1' },
    machine: { clientId: 'machineclient1', clientSecret: 'machine-secret' },
  },
  oauth: {
    authorizationEndpoint: '',
    tokenEndpoint: '',
    userInfoEndpoint: '',
    revocationEndpoint: '',
    logoutEndpoint: '',
    scopes: [],
  },
};

describe('apiEnv', () => {
  it("produces an environment the API's own loadConfig accepts, trusting the definition's app clients", () => {
    const ids = poolIdsFromBootstrap(pool);
    const config = loadConfig(
      apiEnv(
        ids,
        {
          idpUrl: 'http://127.0.0.1:9339',
          webOrigins: ['http://localhost:5173'],
          host: '127.0.0.1',
          port: 8000,
        },
        { NODE_ENV: 'development' },
      ),
    );
    expect(config.cognito.clientIds).toEqual(definition.clients.map((c) => pool.clients[c.key]!.clientId));
    expect(config.cognito.clientIds).not.toContain('machineclient1');
    expect(apiEnv(ids).COGNITO_MACHINE_CLIENT_IDS).toBe('machineclient1');
    expect(config.cognito.authClientId).toBe('backendclient1');
    expect(config.cognito.authClientSecret).toBe('not-a-real-secret');
    expect(config.cognito.endpoint).toBe('http://127.0.0.1:9339');
    expect(config.webOrigins).toEqual(['http://localhost:5173']);
    expect(config.port).toBe(8000);
  });

  it('leaves the secret and the endpoint out when there are none (AWS)', () => {
    const env = apiEnv({
      region: 'eu-west-1',
      poolId: 'eu-west-1_X',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X',
      clientIds: ['a', 'b'],
      backendClientId: 'b',
    });
    expect(env.COGNITO_AUTH_CLIENT_SECRET).toBeUndefined();
    expect(env.COGNITO_ENDPOINT).toBeUndefined();
    expect(env.COGNITO_JWKS_URI).toBe(
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X/.well-known/jwks.json',
    );
  });

  it("trusts the CLI client's tokens, and still starts from a data folder made before it existed", () => {
    expect(poolIdsFromBootstrap(pool)).toMatchObject({
      webClientId: 'webclient1',
      cliClientId: 'cliclient1',
    });
    expect(poolIdsFromBootstrap(pool).clientIds).toContain('cliclient1');
    const { cli: _, ...older } = pool.clients;
    const ids = poolIdsFromBootstrap({ ...pool, clients: older });
    expect(ids.cliClientId).toBeUndefined();
    expect(ids.clientIds).toEqual(['webclient1', 'backendclient1']);
  });

  it('refuses a pool without the clients the definition names', () => {
    expect(() => poolIdsFromBootstrap({ ...pool, clients: { web: { clientId: 'w' } } })).toThrow(
      /no "backend" client/,
    );
  });
});

describe('webConfig', () => {
  it("writes what the SPA's own resolver accepts, and the CSP lets the SPA reach exactly those origins", () => {
    const config = webConfig(poolIdsFromBootstrap(pool), {
      apiUrl: 'http://127.0.0.1:8000',
      idpUrl: 'http://127.0.0.1:9339',
    });
    expect(resolveConfig(config, {})).toEqual({
      userPoolId: pool.poolId,
      clientId: 'webclient1',
      region: 'us-east-1',
      apiUrl: 'http://127.0.0.1:8000',
      cognitoEndpoint: 'http://127.0.0.1:9339/',
      // The definition: the authenticator app only, no USER_AUTH on the web client (ADR 0116, 0145).
      signInOptions: { emailMfa: false, choiceSignIn: false },
    });
    expect(spaSecurityHeaders(config)['content-security-policy']).toContain(
      "connect-src 'self' http://127.0.0.1:8000 http://127.0.0.1:9339;",
    );
  });

  it('offers the hosted page with the callback and sign-out URL of each web origin and lets the SPA reach it', () => {
    const web = webClient();
    const config = webConfig(poolIdsFromBootstrap(pool), {
      apiUrl: '',
      idpUrl: 'http://127.0.0.1:9339',
      hostedUi: {
        url: 'http://127.0.0.1:9339',
        webUrls: ['http://localhost:5173', 'http://127.0.0.1:5173/'],
      },
    });
    expect(resolveConfig(config, {}).hostedUi).toEqual({
      url: 'http://127.0.0.1:9339',
      scopes: web.oauthScopes,
      redirectSignIn: ['http://localhost:5173/auth/callback', 'http://127.0.0.1:5173/auth/callback'],
      redirectSignOut: ['http://localhost:5173/', 'http://127.0.0.1:5173/'],
    });
    // The command-line client signs in at the same managed login (ADR 0197); the SPA ignores the key.
    expect(config.cliClientId).toBe('cliclient1');
    // The IdP (startStack's appUrls) and CDK register exactly these on the public client.
    expect(hostedUiAppUrls(['http://localhost:5173'])).toEqual({
      callbackUrls: config.hostedUi!.redirectSignIn.slice(0, 1),
      logoutUrls: config.hostedUi!.redirectSignOut.slice(0, 1),
    });
    const aws = webConfig(
      { poolId: 'eu-west-1_X', region: 'eu-west-1', webClientId: 'w' },
      {
        apiUrl: '',
        hostedUi: { url: 'https://p.auth.eu-west-1.amazoncognito.com', webUrls: ['https://app.example.com'] },
      },
    );
    expect(spaSecurityHeaders(aws)['content-security-policy']).toContain(
      "connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com https://p.auth.eu-west-1.amazoncognito.com;",
    );
  });

  it('names the file server, and the CSP lets the SPA upload to it and show its images', () => {
    const config = webConfig(poolIdsFromBootstrap(pool), {
      apiUrl: 'http://127.0.0.1:8000',
      idpUrl: 'http://127.0.0.1:9339',
      filesUrl: 'http://127.0.0.1:4568/',
    });
    expect(resolveConfig(config, {}).filesUrl).toBe('http://127.0.0.1:4568');
    const csp = spaSecurityHeaders(config)['content-security-policy'];
    expect(csp).toContain(
      "connect-src 'self' http://127.0.0.1:8000 http://127.0.0.1:9339 http://127.0.0.1:4568;",
    );
    expect(csp).toContain("img-src 'self' data: http://127.0.0.1:4568;");
    const without = webConfig(poolIdsFromBootstrap(pool), { apiUrl: '' });
    expect(without).not.toHaveProperty('filesUrl');
    expect(spaSecurityHeaders(without)['content-security-policy']).toContain("img-src 'self' data:;");
  });

  it("on AWS the SPA calls its own origin and the region's Cognito endpoint", () => {
    const config = webConfig(
      { poolId: 'eu-west-1_X', region: 'eu-west-1', webClientId: 'w' },
      { apiUrl: '' },
    );
    expect(config).not.toHaveProperty('cognitoEndpoint');
    expect(spaSecurityHeaders(config)['content-security-policy']).toContain(
      "connect-src 'self' https://cognito-idp.eu-west-1.amazonaws.com;",
    );
  });
});
