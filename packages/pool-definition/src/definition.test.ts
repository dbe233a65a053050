import { describe, expect, it } from 'vitest';
import { CLI_CALLBACK_URL, clientByKey, definition, nativeClient, webClient } from './definition.ts';
import { userPoolDefinition } from './schema.ts';

describe('pool definition', () => {
  it('parses against its own schema', () => {
    expect(() => userPoolDefinition.parse(definition)).not.toThrow();
  });

  it('keeps the browser client public and SRP-only', () => {
    const web = clientByKey(definition, 'web');
    expect(web.generateSecret).toBe(false);
    expect(web.explicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(web.explicitAuthFlows).toContain('ALLOW_USER_SRP_AUTH');
  });

  it('hides whether users exist on every client', () => {
    for (const c of definition.clients) expect(c.preventUserExistenceErrors).toBe('ENABLED');
  });

  it('rejects a client key that does not exist', () => {
    expect(() => clientByKey(definition, 'nope')).toThrow(/no client with key "nope"/);
  });

  it('keeps the old e-mail until a new one is verified, and refuses that setting without auto-verification', () => {
    expect(definition.attributesRequireVerificationBeforeUpdate).toEqual(['email']);
    const bad = { ...definition, autoVerifiedAttributes: [] };
    expect(userPoolDefinition.safeParse(bad).success).toBe(false);
  });

  it('keeps MFA optional with an authenticator app, and refuses MFA on or optional without a factor', () => {
    expect(definition.mfaConfiguration).toBe('OPTIONAL');
    expect(definition.mfaFactors).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(userPoolDefinition.safeParse({ ...definition, mfaFactors: [] }).success).toBe(false);
    expect(
      userPoolDefinition.safeParse({ ...definition, mfaConfiguration: 'OFF', mfaFactors: [] }).success,
    ).toBe(true);
  });

  it('accepts ALLOW_USER_AUTH (choice-based sign-in) as a client flow', () => {
    const web = clientByKey(definition, 'web');
    const withChoice = { ...web, explicitAuthFlows: [...web.explicitAuthFlows, 'ALLOW_USER_AUTH'] };
    expect(userPoolDefinition.safeParse({ ...definition, clients: [withChoice] }).success).toBe(true);
  });

  it('rejects a definition with a too-short password minimum', () => {
    const bad = { ...definition, passwordPolicy: { ...definition.passwordPolicy, minimumLength: 4 } };
    expect(userPoolDefinition.safeParse(bad).success).toBe(false);
  });

  it('gives every machine client scopes a resource server defines, and refuses one that does not', () => {
    expect(definition.machineClients.map((m) => m.scopes)).toEqual([['app-api/items.read']]);
    const bad = {
      ...definition,
      machineClients: [{ key: 'm2', clientName: 'm2', scopes: ['app-api/nope'], accessTokenMinutes: 60 }],
    };
    const result = userPoolDefinition.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('no resource server defines the scope app-api/nope');
  });

  it('refuses a machine client key that an app client already uses', () => {
    const bad = {
      ...definition,
      machineClients: [
        { key: 'web', clientName: 'x', scopes: ['app-api/items.read'], accessTokenMinutes: 60 },
      ],
    };
    expect(userPoolDefinition.safeParse(bad).success).toBe(false);
  });

  it('gives the web client the user-pool API scope for hosted-page tokens, and refuses rotation with REFRESH_TOKEN_AUTH', () => {
    const web = definition.clients.find((c) => c.key === 'web')!;
    expect(web.oauthScopes).toContain('aws.cognito.signin.user.admin');
    expect(definition.clients.map((c) => c.refreshTokenRotation.enabled)).toEqual([false, false, false]);
    const rotating = {
      ...definition,
      clients: definition.clients.map((c) =>
        c.key === 'web' ? { ...c, refreshTokenRotation: { enabled: true, retryGracePeriodSeconds: 10 } } : c,
      ),
    };
    const result = userPoolDefinition.safeParse(rotating);
    expect(result.error?.issues[0]?.message).toBe(
      'web: a rotating client refreshes with GetTokensFromRefreshToken; drop ALLOW_REFRESH_TOKEN_AUTH',
    );
    const fixed = {
      ...rotating,
      clients: rotating.clients.map((c) =>
        c.key === 'web' ? { ...c, explicitAuthFlows: ['ALLOW_USER_SRP_AUTH' as const] } : c,
      ),
    };
    expect(userPoolDefinition.safeParse(fixed).success).toBe(true);
  });

  it('has a public, code + PKCE only command-line client on one fixed loopback callback', () => {
    const cli = nativeClient(definition)!;
    expect(cli.key).toBe('cli');
    expect(cli).toMatchObject({ generateSecret: false, explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] });
    expect(cli.callbackUrls).toEqual([CLI_CALLBACK_URL]);
    expect(new URL(CLI_CALLBACK_URL).port).not.toBe('');
    expect(cli.logoutUrls).toEqual([]);
    // The browser's client is still the SPA's, whatever the order of the clients.
    expect(webClient(definition).key).toBe('web');
    expect(webClient({ ...definition, clients: [cli, ...definition.clients] }).key).toBe('web');
  });

  it.each([
    [{ generateSecret: true }, 'cli: a native app is public: no client secret'],
    [
      { explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
      'cli: a native app signs in through the managed login only: ALLOW_REFRESH_TOKEN_AUTH alone',
    ],
    [{ callbackUrls: [] }, 'cli: a native app needs its loopback callback URL'],
    [
      { callbackUrls: ['http://localhost/callback'] },
      'cli: callback http://localhost/callback must be http://localhost:<port>/… (a fixed loopback port)',
    ],
    [
      { callbackUrls: ['https://app.example.com:8443/callback'] },
      'cli: callback https://app.example.com:8443/callback must be http://localhost:<port>/… (a fixed loopback port)',
    ],
  ])('refuses a native client with %j', (change, message) => {
    const clients = definition.clients.map((c) => (c.nativeApp ? { ...c, ...change } : c));
    const result = userPoolDefinition.safeParse({ ...definition, clients });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain(message);
  });
});
