import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';

const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
const boto3Missing = probe.status !== 0;
if (boto3Missing) console.warn(`skipping the boto3 federation test: ${probe.stderr || probe.error}`);

let t: TestIdp;
beforeAll(async () => {
  if (!boto3Missing) t = await startTestIdp();
});
afterAll(() => t?.close());

describe.skipIf(boto3Missing)('identity providers and provider links through boto3', () => {
  it('answers as Cognito does, errors included', async () => {
    const run = await promisify(execFile)(
      'python3',
      [join(import.meta.dirname, 'fixtures', 'boto3_federation.py')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          ...process.env,
          IDP_URL: t.idp.url,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        },
      },
    );
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out.created).toEqual({
      ProviderName: 'Corp',
      ProviderType: 'OIDC',
      ProviderDetails: {
        client_id: 'boto3-client',
        client_secret: 'boto3-secret',
        authorize_scopes: 'openid email',
        oidc_issuer: 'http://127.0.0.1:9/issuer',
        attributes_request_method: 'GET',
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
