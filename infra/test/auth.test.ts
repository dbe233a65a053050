import { definition, passkeyUserVerification, type UserPoolDefinition } from '@app/pool-definition';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppUserPool } from '../src/auth/user-pool.ts';
import { contexts, onlyResource, resourcesOf, type Synth, synth } from './synth.ts';

/** Builds just the pool in a bare stack: fast, so variations of the definition can be checked. */
function poolTemplate(def: UserPoolDefinition, threatProtection: 'ENFORCED' | 'AUDIT' | 'OFF' = 'ENFORCED') {
  const stack = new Stack(new App(), 'PoolOnly', { env: { region: 'eu-west-1' } });
  new AppUserPool(stack, 'Auth', { definition: def, envName: 'test', threatProtection });
  return Template.fromStack(stack);
}

/** The definition's first factors as CloudFormation has them: e-mail codes only when mail goes through SES. */
const firstFactors = (def: UserPoolDefinition, ses: boolean) =>
  def.allowedFirstAuthFactors.filter((f) => f !== 'EMAIL_OTP' || ses);

function expectedPool(def: UserPoolDefinition, ses = false) {
  return {
    Policies: {
      SignInPolicy: { AllowedFirstAuthFactors: firstFactors(def, ses) },
      PasswordPolicy: {
        MinimumLength: def.passwordPolicy.minimumLength,
        RequireLowercase: def.passwordPolicy.requireLowercase,
        RequireUppercase: def.passwordPolicy.requireUppercase,
        RequireNumbers: def.passwordPolicy.requireNumbers,
        RequireSymbols: def.passwordPolicy.requireSymbols,
        TemporaryPasswordValidityDays: def.passwordPolicy.temporaryPasswordValidityDays,
      },
    },
    UsernameAttributes: def.usernameAttributes,
    AutoVerifiedAttributes: def.autoVerifiedAttributes,
    MfaConfiguration: def.mfaConfiguration,
    // The factors users may turn on (CloudFormation's EnabledMfas), from mfaFactors.
    EnabledMfas: def.mfaFactors,
    DeletionProtection: def.deletionProtection ? 'ACTIVE' : 'INACTIVE',
    WebAuthnUserVerification: passkeyUserVerification(def) ?? Match.absent(),
  };
}

describe('Cognito user pool built from the pool definition', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth();
  });

  it('has the definition password policy, username and verified attributes, MFA, deletion protection', () => {
    s.template.resourceCountIs('AWS::Cognito::UserPool', 1);
    s.template.hasResourceProperties('AWS::Cognito::UserPool', expectedPool(definition));
  });

  it('keeps the original e-mail until a new one is verified (AttributesRequireVerificationBeforeUpdate)', () => {
    expect(definition.attributesRequireVerificationBeforeUpdate).toEqual(['email']);
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    // Off in the definition, off in the template: the setting follows the definition.
    const off = poolTemplate({ ...definition, attributesRequireVerificationBeforeUpdate: [] });
    const pool = onlyResource(off, 'AWS::Cognito::UserPool')[1] as Record<string, unknown>;
    expect(pool.UserAttributeUpdateSettings).toBeUndefined();
  });

  it('declares every schema attribute with its required/mutable flags', () => {
    const pool = onlyResource(s.template, 'AWS::Cognito::UserPool')[1] as { Schema: unknown[] };
    for (const attr of definition.schema) {
      expect(pool.Schema).toContainEqual(
        expect.objectContaining({ Name: attr.name, Required: attr.required, Mutable: attr.mutable }),
      );
    }
  });

  it('enforces threat protection (advanced security) on the Plus plan', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('creates exactly the definition groups with descriptions and precedence', () => {
    const groups = resourcesOf(s.template, 'AWS::Cognito::UserPoolGroup').map(([, p]) => p);
    expect(
      groups
        .map((g) => ({ name: g.GroupName, description: g.Description, precedence: g.Precedence }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    ).toEqual(
      definition.groups
        .map((g) => ({ name: g.groupName, description: g.description, precedence: g.precedence }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('creates exactly the definition clients: flows, secret, existence errors, revocation, lifetimes', () => {
    const clients = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient').map(([, p]) => p);
    expect(clients).toHaveLength(definition.clients.length + definition.machineClients.length);
    for (const c of definition.clients) {
      const found = clients.find((p) => p.ClientName === c.clientName);
      expect(found, c.clientName).toBeDefined();
      expect([...((found?.ExplicitAuthFlows as string[] | undefined) ?? [])].sort()).toEqual(
        [...c.explicitAuthFlows].sort(),
      );
      expect(found?.GenerateSecret).toBe(c.generateSecret);
      expect(found?.PreventUserExistenceErrors).toBe('ENABLED');
      expect(found?.EnableTokenRevocation).toBe(c.enableTokenRevocation);
      expect(found?.AccessTokenValidity).toBe(c.tokenValidity.accessTokenMinutes);
      expect(found?.IdTokenValidity).toBe(c.tokenValidity.idTokenMinutes);
      expect(found?.RefreshTokenValidity).toBe(c.tokenValidity.refreshTokenDays);
      expect(found?.TokenValidityUnits).toEqual({
        AccessToken: 'minutes',
        IdToken: 'minutes',
        RefreshToken: 'days',
      });
      expect(found?.RefreshTokenRotation).toEqual({
        Feature: c.refreshTokenRotation.enabled ? 'ENABLED' : 'DISABLED',
        RetryGracePeriodSeconds: c.refreshTokenRotation.retryGracePeriodSeconds,
      });
      if (c.callbackUrls.length > 0) expect(found?.AllowedOAuthScopes).toEqual(c.oauthScopes);
    }
  });

  it('creates the resource servers and the machine clients (client credentials, their scopes only)', () => {
    const servers = resourcesOf(s.template, 'AWS::Cognito::UserPoolResourceServer').map(([, p]) => p);
    expect(servers).toEqual(
      definition.resourceServers.map((r) => ({
        UserPoolId: expect.anything(),
        Identifier: r.identifier,
        Name: r.name,
        Scopes: r.scopes.map((sc) => ({ ScopeName: sc.name, ScopeDescription: sc.description })),
      })),
    );
    for (const m of definition.machineClients) {
      const [id, found] = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient').find(
        ([, p]) => p.ClientName === m.clientName,
      )!;
      expect(found).toMatchObject({
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: m.scopes,
        AccessTokenValidity: m.accessTokenMinutes,
      });
      expect(s.template.toJSON().Resources[id].DependsOn).toEqual(
        expect.arrayContaining(
          resourcesOf(s.template, 'AWS::Cognito::UserPoolResourceServer').map(([rid]) => rid),
        ),
      );
    }
    // The API takes their tokens as machine principals.
    s.template.hasOutput('MachineClientIds', {});
  });

  it('keeps the web client public with SRP + refresh only, the backend client confidential', () => {
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'web-spa',
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayEquals(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    });
    s.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'backend-api',
      GenerateSecret: true,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH']),
    });
  });

  it('has a hosted UI domain prefix built from the definition, or the one given', () => {
    // Made unique per stack (operations.test.ts); an explicit domainPrefix is taken as given.
    expect(JSON.stringify(onlyResource(s.template, 'AWS::Cognito::UserPoolDomain')[1].Domain)).toContain(
      definition.domainPrefix,
    );
    const stack = new Stack(new App(), 'Prefixed', { env: { region: 'eu-west-1' } });
    new AppUserPool(stack, 'Auth', {
      definition,
      envName: 'test',
      threatProtection: 'OFF',
      domainPrefix: 'my-own',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'my-own' });
  });

  it('copies the backend client secret into Secrets Manager by reference, never by value', () => {
    const backendId = resourcesOf(s.template, 'AWS::Cognito::UserPoolClient').find(
      ([, p]) => p.GenerateSecret === true,
    )?.[0];
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: { 'Fn::GetAtt': [backendId, 'ClientSecret'] },
    });
  });
});

describe('the pool follows the definition when it changes', () => {
  it('carries a changed password policy, lifetimes and groups into the template', () => {
    const changed: UserPoolDefinition = {
      ...definition,
      passwordPolicy: { ...definition.passwordPolicy, minimumLength: 16, requireSymbols: true },
      groups: [...definition.groups, { groupName: 'auditor', precedence: 20 }],
      clients: definition.clients.map((c) => ({
        ...c,
        tokenValidity: { accessTokenMinutes: 15, idTokenMinutes: 20, refreshTokenDays: 0.5 },
      })),
    };
    const t = poolTemplate(changed);
    t.hasResourceProperties('AWS::Cognito::UserPool', expectedPool(changed));
    t.resourceCountIs('AWS::Cognito::UserPoolGroup', changed.groups.length);
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 15,
      IdTokenValidity: 20,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { RefreshToken: 'minutes' },
    });
  });

  it('allows the definition first factors (USER_AUTH), e-mail codes only with SES (ADR 0141)', () => {
    expect(definition.allowedFirstAuthFactors).toContain('EMAIL_OTP');
    const withSes = new Stack(new App(), 'PoolSes', { env: { region: 'eu-west-1' } });
    new AppUserPool(withSes, 'Auth', {
      definition,
      envName: 'test',
      threatProtection: 'ENFORCED',
      email: { from: 'no-reply@example.com' },
    });
    const factors = (t: Template) =>
      (onlyResource(t, 'AWS::Cognito::UserPool')[1] as { Policies: { SignInPolicy: unknown } }).Policies
        .SignInPolicy;
    expect(factors(Template.fromStack(withSes))).toEqual({
      AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'],
    });
    expect(factors(poolTemplate(definition))).toEqual({ AllowedFirstAuthFactors: ['PASSWORD'] });
  });

  it('configures passkeys from the definition, the relying party being the web domain (ADR 0142)', () => {
    expect(definition.passkeys).toEqual({ userVerification: 'preferred' });
    const pool = (t: Template) => onlyResource(t, 'AWS::Cognito::UserPool')[1] as Record<string, unknown>;
    // No relying-party id given: Cognito falls back to the pool's domain.
    expect(pool(poolTemplate(definition)).WebAuthnUserVerification).toBe('preferred');
    expect(pool(poolTemplate(definition)).WebAuthnRelyingPartyID).toBeUndefined();
    expect(pool(synth(contexts.certificate).template).WebAuthnRelyingPartyID).toBe('app.example.com');
    const explicit = synth({ ...contexts.certificate, passkeyRelyingPartyId: 'example.com' });
    expect(pool(explicit.template).WebAuthnRelyingPartyID).toBe('example.com');

    const { passkeys: _, ...withoutPasskeys } = definition;
    const off = pool(poolTemplate(withoutPasskeys));
    expect([off.WebAuthnUserVerification, off.WebAuthnRelyingPartyID]).toEqual([undefined, undefined]);
    // WEB_AUTHN as a first factor alone turns passkeys on with Cognito's default.
    const stack = new Stack(new App(), 'PoolPasskey', { env: { region: 'eu-west-1' } });
    new AppUserPool(stack, 'Auth', {
      definition: { ...withoutPasskeys, allowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] },
      envName: 'test',
      threatProtection: 'ENFORCED',
      passkeyRelyingPartyId: 'app.example.com',
    });
    expect(pool(Template.fromStack(stack))).toMatchObject({
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
      WebAuthnUserVerification: 'preferred',
      WebAuthnRelyingPartyID: 'app.example.com',
    });
    const required = pool(poolTemplate({ ...definition, passkeys: { userVerification: 'required' } }));
    expect(required.WebAuthnUserVerification).toBe('required');
  });

  it('drops threat protection only when asked', () => {
    const t = poolTemplate(definition, 'OFF');
    const [, pool] = onlyResource(t, 'AWS::Cognito::UserPool');
    expect(pool.UserPoolAddOns).toBeUndefined();
    expect(pool.UserPoolTier).toBe('ESSENTIALS');
  });

  it('refuses a definition without a confidential client', () => {
    const publicOnly = { ...definition, clients: definition.clients.filter((c) => !c.generateSecret) };
    expect(() => poolTemplate(publicOnly)).toThrow(/no confidential/);
  });
});
