import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing)
  console.warn(`skipping the boto3 test: python3 -c 'import boto3' failed (${probe.stderr || probe.error})`);

let t: TestIdp;
beforeAll(async () => {
  if (!boto3Missing) t = await startTestIdp();
});
afterAll(() => t?.close());

describe.skipIf(boto3Missing)('boto3 (unchanged, endpoint_url) against the IdP', () => {
  it('signs up, is confirmed by an admin and signs in with USER_PASSWORD_AUTH', async () => {
    const email = uniqueEmail('boto3');
    // Asynchronous on purpose: the IdP answers from this very process.
    const run = await promisify(execFile)(
      'python3',
      [join(import.meta.dirname, 'fixtures', 'boto3_flow.py')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          IDP_URL: t.idp.url,
          POOL_ID: t.idp.pool.poolId,
          CLIENT_ID: t.backend.clientId,
          CLIENT_SECRET: t.backend.clientSecret,
          EMAIL: email,
          PASSWORD: poolPassword,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
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
    const run = await promisify(execFile)(
      'python3',
      [join(import.meta.dirname, 'fixtures', 'boto3_oauth.py')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          IDP_URL: t.idp.url,
          POOL_ID: t.idp.pool.poolId,
          EMAIL: email,
          PASSWORD: poolPassword,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
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
      domainAfterDelete: {},
    });
  });
});
