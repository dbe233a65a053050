import { spawnSync } from 'node:child_process';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimsOf,
  poolPassword,
  runPythonFixture,
  startTestIdp,
  type TestIdp,
  uniqueEmail,
} from './helpers.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing)
  console.warn(`skipping the boto3 test: python3 -c 'import boto3' failed (${probe.stderr || probe.error})`);

let t: TestIdp;
beforeAll(async () => {
  if (!boto3Missing) t = await startTestIdp();
});
afterAll(() => t?.close());

/** Runs a boto3 fixture against the IdP (asynchronously: the IdP answers from this very process). */
async function runFixture(script: string, env: Record<string, string>) {
  const run = await runPythonFixture(t.idp.url, script, {
    env: {
      POOL_ID: t.idp.pool.poolId,
      CLIENT_ID: t.backend.clientId,
      CLIENT_SECRET: t.backend.clientSecret,
      ...env,
    },
  });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout);
}

describe.skipIf(boto3Missing)('boto3 (unchanged, endpoint_url) against the IdP', () => {
  it('signs up, is confirmed by an admin and signs in with USER_PASSWORD_AUTH', async () => {
    const email = uniqueEmail('boto3');
    const out = await runFixture('boto3_flow.py', { EMAIL: email, PASSWORD: poolPassword });
    expect(out.expiresIn).toBe(3600);
    expect(claimsOf(out.accessToken)).toMatchObject({ sub: out.userSub, client_id: t.backend.clientId });
    expect(out.wrongPassword).toBe('NotAuthorizedException: Incorrect username or password.');
  });

  it('manages domains, resource servers, OAuth client fields and rotating refresh', async () => {
    const email = uniqueEmail('boto3-oauth');
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: t.idp.pool.poolId,
        Username: email,
        Password: poolPassword,
        Permanent: true,
      }),
    );
    const out = await runFixture('boto3_oauth.py', { EMAIL: email, PASSWORD: poolPassword });
    expect(out).toEqual({
      domain: 'ACTIVE',
      domainTaken: 'InvalidParameterException: User pool already has a domain configured.',
      servers: ['app-api', 'orders'],
      unknownScope: 'ScopeDoesNotExistException: Invalid scope requested: orders/write',
      publicMachine:
        'InvalidOAuthFlowException: client_credentials flow can not be selected if client does not have a client secret.',
      client: {
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'orders/read'],
        CallbackURLs: ['http://localhost:3000/callback'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      },
      rotated: true,
      reuse: 'RefreshTokenReuseException',
      domainUpdated: 2,
      domainVersion: 2,
      wrongDomain: 'InvalidParameterException: No such domain or user pool exists.',
      described: [{ ScopeName: 'read', ScopeDescription: 'Read orders' }],
      updated: {
        UserPoolId: expect.any(String),
        Identifier: 'orders',
        Name: 'orders v2',
        Scopes: [{ ScopeName: 'export', ScopeDescription: 'Export orders' }],
      },
      unknownServer: 'ResourceNotFoundException: Resource server nope does not exist.',
      badScopeName: expect.stringMatching(
        /^InvalidParameterException: 1 validation error detected: Value 'a\/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
      ),
      noSecret: expect.stringMatching(
        /^NotAuthorizedException: Client \w+ is configured for secret but secret was not received$/,
      ),
      wrongSecret: expect.stringMatching(
        /^NotAuthorizedException: Unable to verify secret hash for client \w+$/,
      ),
      withSecret: true,
      otherClientsToken: 'NotAuthorizedException: Invalid Refresh Token',
      domainAfterDelete: {},
    });
  });

  it('enrols TOTP and answers SOFTWARE_TOKEN_MFA, with Cognito’s exception classes and messages', async () => {
    const out = await runFixture('boto3_mfa.py', {
      EMAIL: uniqueEmail('boto3-mfa'),
      PASSWORD: poolPassword,
      NOW_MS: String(t.clock.now),
    });

    expect(out.config).toEqual({ mode: 'OPTIONAL', totp: true });
    expect(out.wrongVerify).toBe(
      'EnableSoftwareTokenMFAException: Code mismatch and fail enable Software Token MFA',
    );
    expect(out.verified).toBe('SUCCESS');
    expect(out.challenge).toBe('SOFTWARE_TOKEN_MFA');
    expect(out.challengeHasTokens).toBe(false);
    expect(out.wrongMfa).toBe('CodeMismatchException: Invalid code or auth state for the user.');
    expect(claimsOf(out.accessToken).username).toBeTruthy();
    expect(out.reuse).toMatch(/^ExpiredCodeException: /);
    expect(out.mfaList).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(out.preferred).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('stores pool settings and answers the pool operations with Cognito errors (boto3)', async () => {
    const run = await runPythonFixture(t.idp.url, 'boto3_pool_api.py');
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out.created).toEqual({
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      VerificationMessageTemplate: {
        EmailMessage: 'Code: {####}',
        EmailSubject: 'Your code',
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
      },
      UserPoolTags: { team: 'identity' },
    });
    expect(out.customNames).toEqual(['custom:tier']);
    expect(out.requiredCustom).toBe(
      'InvalidParameterException: Required custom attributes are not supported currently.',
    );
    expect(out.duplicate).toBe(
      'InvalidParameterException: custom:plan: Existing attribute already has name custom:plan.',
    );
    expect(out.afterUpdate).toEqual({
      AccountRecoverySetting: null,
      VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
      AutoVerifiedAttributes: ['email'],
    });
    expect(out.tags).toEqual({ env: 'test' });
    expect(out.group).toEqual({ GroupName: 'staff', Description: 'Staff', Precedence: 2 });
    expect(out.attributesAfterDelete).toEqual(['custom:tier', 'email', 'sub']);
    expect(out.attributesAfterUserDelete).toEqual(['email', 'sub']);
    expect(out.groupPages).toEqual([['a-team'], ['b-team'], ['staff']]);
    expect(out.badPhone).toBe('InvalidParameterException: Invalid phone number format.');
  });

  it('manages identity providers and provider links with Cognito errors (boto3)', async () => {
    const out = await runFixture('boto3_federation.py', {});
    expect(out.created).toEqual({
      ProviderName: 'Corp',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'boto3-client',
        client_secret: 'boto3-secret',
        authorize_scopes: 'openid email',
        oidc_issuer: 'http://127.0.0.1:9/issuer',
        attributes_request_method: 'GET',
        // Set by Cognito on every OIDC provider; no endpoints: nothing answers discovery at port 9.
        attributes_url_add_attributes: 'false',
      },
      AttributeMapping: { email: 'email', username: 'sub' },
      IdpIdentifiers: ['corp.example'],
    });
    expect(out.duplicate).toBe(
      'DuplicateProviderException: A provider with the name Corp already exists in this user pool.',
    );
    expect(out.byIdentifier).toBe('Corp');
    expect(out.listed).toEqual(['Corp']);
    expect(out.updated).toEqual({ name: 'name', username: 'sub' });
    expect(out.unknown).toBe('ResourceNotFoundException: Identity provider Nope does not exist.');
    expect(out.identities).toEqual([
      {
        userId: 'corp-123',
        providerName: 'Corp',
        providerType: 'OIDC',
        issuer: null,
        primary: false,
        dateCreated: expect.any(Number),
      },
    ]);
    expect(out.linkedAgain).toBe(
      'InvalidParameterException: SourceUser is already linked to DestinationUser',
    );
    expect(out.wrongAttribute).toMatch(/^InvalidParameterException: .*Cognito_Subject/);
    expect(out.unknownUser).toBe('UserNotFoundException: User does not exist.');
    expect(out.afterDisable).toEqual([]);
    expect(out.disableUnknown).toBe('UserNotFoundException: User does not exist.');
    expect(out.afterDelete).toEqual([]);
  });
});
