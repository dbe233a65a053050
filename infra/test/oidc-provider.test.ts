import { definition } from '@app/pool-definition';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.ts';
import { contexts, onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

const oidcContext = {
  oidcProviderName: 'Google',
  oidcProviderIssuerUrl: 'https://accounts.google.com',
  oidcProviderClientId: '1234-abc.apps.googleusercontent.com',
  oidcProviderClientSecretName: 'app/prod/google-client-secret',
};

describe('an external OIDC provider from context (ADR 0162)', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth({ ...contexts.zone, ...oidcContext });
  });

  it('creates the provider with the definition scopes and mapping, the secret only as a reference', () => {
    const mapping = definition.oidcProvider;
    if (!mapping) throw new Error('the definition has no oidcProvider');
    const [, idp] = onlyResource(s.template, 'AWS::Cognito::UserPoolIdentityProvider');
    expect(idp).toMatchObject({
      ProviderName: 'Google',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: oidcContext.oidcProviderClientId,
        oidc_issuer: oidcContext.oidcProviderIssuerUrl,
        authorize_scopes: mapping.authorizeScopes,
        attributes_request_method: 'GET',
      },
      AttributeMapping: mapping.attributeMapping,
    });
    const secret = (idp.ProviderDetails as Record<string, unknown>).client_secret;
    expect(secret).toBe('{{resolve:secretsmanager:app/prod/google-client-secret:SecretString:::}}');
  });

  it('the hosted-UI clients (web, CLI) offer it and are created after it; the backend client does not', () => {
    const [providerId] = onlyResource(s.template, 'AWS::Cognito::UserPoolIdentityProvider');
    const clients = s.template.findResources('AWS::Cognito::UserPoolClient');
    const hostedUi = ['web-spa', 'cli'];
    for (const name of hostedUi) {
      const client = Object.values(clients).find((c) => c.Properties.ClientName === name);
      expect(client?.Properties.SupportedIdentityProviders, name).toEqual(['COGNITO', 'Google']);
      expect(client?.DependsOn, name).toContain(providerId);
    }
    const others = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient').filter(
      ([, p]) => !hostedUi.includes(String(p.ClientName)) && p.SupportedIdentityProviders,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const [, p] of others) expect(p.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('config.json names the provider so the SPA offers its button', () => {
    const hosted = s.webConfigAsset?.hostedUi as unknown as { identityProviders?: string[] };
    expect(hosted.identityProviders).toEqual(['Google']);
  });

  it('cdk-nag stays clean with the provider', () => {
    expect(s.nag.success).toBe(true);
  });
});

describe('without the context keys', () => {
  it('the pool has no external provider and config.json names none', () => {
    const s = synth();
    s.template.resourceCountIs('AWS::Cognito::UserPoolIdentityProvider', 0);
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web-spa',
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: Match.anyValue(),
    });
    const hosted = s.webConfigAsset?.hostedUi as unknown as { identityProviders?: string[] };
    expect(hosted.identityProviders).toBeUndefined();
  });
});

describe('context checks', () => {
  const read = (extra: Record<string, string>) => () =>
    readConfig((k) => ({ ...contexts.zone, ...extra })[k as keyof typeof extra]);

  it('wants all four keys or none', () => {
    expect(read({ oidcProviderName: 'Google' })).toThrow(/needs all of oidcProviderName/);
    expect(read(oidcContext)().oidcProvider).toEqual({
      name: 'Google',
      issuerUrl: 'https://accounts.google.com',
      clientId: oidcContext.oidcProviderClientId,
      clientSecretName: oidcContext.oidcProviderClientSecretName,
    });
  });

  it('refuses names Cognito refuses and a non-HTTPS issuer', () => {
    expect(read({ ...oidcContext, oidcProviderName: 'My_Google' })).toThrow(/oidcProviderName/);
    expect(read({ ...oidcContext, oidcProviderIssuerUrl: 'http://accounts.google.com' })).toThrow(
      /oidcProviderIssuerUrl/,
    );
  });
});
