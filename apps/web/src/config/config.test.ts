import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveConfig } from './config.ts';

describe('resolveConfig', () => {
  it('prefers runtime values over build-time ones and derives the region from the pool id', () => {
    const c = resolveConfig(
      { userPoolId: 'eu-west-1_Run', clientId: 'runtime-client', apiUrl: 'https://api.example.com/' },
      { VITE_USER_POOL_ID: 'us-east-1_Build', VITE_CLIENT_ID: 'build-client' },
    );
    expect(c).toEqual({
      userPoolId: 'eu-west-1_Run',
      clientId: 'runtime-client',
      region: 'eu-west-1',
      apiUrl: 'https://api.example.com',
    });
  });

  it('falls back to build-time values and keeps a trailing slash on the Cognito endpoint', () => {
    const c = resolveConfig(
      {},
      {
        VITE_USER_POOL_ID: 'us-east-1_Build',
        VITE_CLIENT_ID: 'c',
        VITE_COGNITO_ENDPOINT: 'http://127.0.0.1:9339',
        VITE_API_URL: '',
      },
    );
    expect(c.cognitoEndpoint).toBe('http://127.0.0.1:9339/');
    expect(c.apiUrl).toBe('');
  });

  it('refuses a missing or malformed pool id, a missing client id and a non-http URL', () => {
    expect(() => resolveConfig({}, {})).toThrow(/userPoolId is missing/);
    expect(() => resolveConfig({ userPoolId: 'nounderscore', clientId: 'c' }, {})).toThrow(ConfigError);
    expect(() => resolveConfig({ userPoolId: 'us-east-1_A' }, {})).toThrow(/clientId is missing/);
    expect(() => resolveConfig({ userPoolId: 'us-east-1_A', clientId: 'c', apiUrl: 'ftp://x' }, {})).toThrow(
      /apiUrl/,
    );
    expect(() =>
      resolveConfig({ userPoolId: 'us-east-1_A', clientId: 'c', cognitoEndpoint: 'not a url' }, {}),
    ).toThrow(/cognitoEndpoint/);
  });

  it('takes what the pool offers (signInOptions) as two booleans, and refuses anything else', () => {
    const base = { userPoolId: 'us-east-1_Abc', clientId: 'c' };
    expect(resolveConfig(base, {})).not.toHaveProperty('signInOptions');
    expect(
      resolveConfig({ ...base, signInOptions: { emailMfa: true, choiceSignIn: false } }, {}).signInOptions,
    ).toEqual({
      emailMfa: true,
      choiceSignIn: false,
    });
    expect(() => resolveConfig({ ...base, signInOptions: { emailMfa: 'yes' } }, {})).toThrow(/signInOptions/);
  });

  it('takes the hosted-page block whole, keeping redirect URLs exactly, and refuses a partial one', () => {
    const base = { userPoolId: 'us-east-1_A', clientId: 'c' };
    const hostedUi = {
      url: 'https://auth.example.com/',
      scopes: ['openid', 'email'],
      redirectSignIn: ['https://app.example.com/auth/callback'],
      redirectSignOut: ['https://app.example.com/'],
    };
    expect(resolveConfig({ ...base, hostedUi }, {}).hostedUi).toEqual({
      ...hostedUi,
      url: 'https://auth.example.com',
    });
    expect(resolveConfig(base, {})).not.toHaveProperty('hostedUi');
    expect(() => resolveConfig({ ...base, hostedUi: { ...hostedUi, url: '' } }, {})).toThrow(/hostedUi.url/);
    expect(() => resolveConfig({ ...base, hostedUi: { ...hostedUi, redirectSignOut: [] } }, {})).toThrow(
      /hostedUi.redirectSignOut/,
    );
    expect(() =>
      resolveConfig({ ...base, hostedUi: { ...hostedUi, redirectSignIn: ['javascript:alert(1)'] } }, {}),
    ).toThrow(/hostedUi.redirectSignIn\[0\]/);
    // External providers for "Sign in with <name>" (ADR 0162) are kept; a malformed list is refused.
    expect(
      resolveConfig({ ...base, hostedUi: { ...hostedUi, identityProviders: ['Google'] } }, {}).hostedUi
        ?.identityProviders,
    ).toEqual(['Google']);
    expect(() => resolveConfig({ ...base, hostedUi: { ...hostedUi, identityProviders: [1] } }, {})).toThrow(
      /hostedUi.identityProviders/,
    );
  });
});

describe('loadConfig over HTTP', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            userPoolId: 'us-east-1_FromFile',
            clientId: 'file-client',
            apiUrl: 'http://127.0.0.1:1',
          }),
        );
      } else if (req.url === '/html.json') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>');
      } else if (req.url === '/bad.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('[1,2');
      } else if (req.url === '/broken.json') {
        res.writeHead(500).end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const env = { VITE_USER_POOL_ID: 'us-east-1_Build', VITE_CLIENT_ID: 'build-client' };

  it('reads /config.json when it is there', async () => {
    const c = await loadConfig(env, fetch, `${base}/ok.json`);
    expect(c.userPoolId).toBe('us-east-1_FromFile');
    expect(c.apiUrl).toBe('http://127.0.0.1:1');
  });

  it('uses the build-time values when the file is missing or the server answers with HTML', async () => {
    expect((await loadConfig(env, fetch, `${base}/missing.json`)).clientId).toBe('build-client');
    expect((await loadConfig(env, fetch, `${base}/html.json`)).clientId).toBe('build-client');
  });

  it('fails loudly on a malformed file or a server error', async () => {
    await expect(loadConfig(env, fetch, `${base}/bad.json`)).rejects.toThrow(/not a JSON object/);
    await expect(loadConfig(env, fetch, `${base}/broken.json`)).rejects.toThrow(/answered 500/);
  });
});
