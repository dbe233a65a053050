/**
 * CreateIdentityProvider / UpdateIdentityProvider of an OIDC provider fill ProviderDetails from the
 * issuer's discovery document as Cognito does (authorize_url, token_url, attributes_url, jwks_uri and
 * the read-only attributes_url_add_attributes), through the AWS SDK against the mock provider.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMockOidc, startMockOidc } from '../src/federation/mock-oidc.ts';
import { startTestIdp, type TestIdp } from './helpers.ts';

let t: TestIdp;
let mock: RunningMockOidc;
let mockDir: string;
let UserPoolId: string;
let discovery: Record<string, unknown>;
beforeAll(async () => {
  t = await startTestIdp();
  UserPoolId = (await t.cognito.send(new sdk.CreateUserPoolCommand({ PoolName: 'discovery' }))).UserPool!.Id!;
  mockDir = await mkdtemp(join(tmpdir(), 'mock-oidc-discovery-'));
  mock = await startMockOidc({ dataDir: mockDir, clients: [] });
  discovery = (await (await fetch(`${mock.issuer}/.well-known/openid-configuration`)).json()) as Record<
    string,
    unknown
  >;
});
afterAll(async () => {
  await mock?.close();
  await t?.close();
  if (mockDir) await rm(mockDir, { recursive: true, force: true });
});

const given = () => ({
  client_id: 'discovery-client',
  client_secret: 'discovery-secret',
  authorize_scopes: 'openid email',
  oidc_issuer: mock.issuer,
  attributes_request_method: 'GET',
});
const describeDetails = async (ProviderName: string) =>
  (await t.cognito.send(new sdk.DescribeIdentityProviderCommand({ UserPoolId, ProviderName })))
    .IdentityProvider!.ProviderDetails;

describe('OIDC ProviderDetails from discovery', () => {
  it('adds the discovered endpoints and attributes_url_add_attributes, and Describe returns them', async () => {
    const created = await t.cognito.send(
      new sdk.CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'Discovered',
        ProviderType: 'OIDC',
        ProviderDetails: given(),
      }),
    );
    const expected = {
      ...given(),
      authorize_url: discovery.authorization_endpoint,
      token_url: discovery.token_endpoint,
      attributes_url: discovery.userinfo_endpoint,
      jwks_uri: discovery.jwks_uri,
      attributes_url_add_attributes: 'false',
    };
    expect(typeof expected.authorize_url).toBe('string');
    expect(created.IdentityProvider!.ProviderDetails).toEqual(expected);
    expect(await describeDetails('Discovered')).toEqual(expected);
  });

  it('keeps an endpoint the request gives, and discovers the others', async () => {
    const authorize_url = `${mock.issuer}/custom-authorize`;
    await t.cognito.send(
      new sdk.CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'GivenUrl',
        ProviderType: 'OIDC',
        ProviderDetails: { ...given(), authorize_url },
      }),
    );
    expect(await describeDetails('GivenUrl')).toMatchObject({
      authorize_url,
      token_url: discovery.token_endpoint,
      jwks_uri: discovery.jwks_uri,
    });
  });

  it('an update with only the configured keys (as an SDK caller sends them) discovers again', async () => {
    await t.cognito.send(
      new sdk.UpdateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'Discovered',
        ProviderDetails: { ...given(), authorize_scopes: 'openid email profile' },
      }),
    );
    expect(await describeDetails('Discovered')).toMatchObject({
      authorize_scopes: 'openid email profile',
      authorize_url: discovery.authorization_endpoint,
      attributes_url_add_attributes: 'false',
    });
  });

  it('an issuer without a discovery document is stored without endpoints (the IdP does not refuse it)', async () => {
    const unreachable = { ...given(), oidc_issuer: 'http://127.0.0.1:9/issuer' };
    await t.cognito.send(
      new sdk.CreateIdentityProviderCommand({
        UserPoolId,
        ProviderName: 'Unreachable',
        ProviderType: 'OIDC',
        ProviderDetails: unreachable,
      }),
    );
    expect(await describeDetails('Unreachable')).toEqual({
      ...unreachable,
      attributes_url_add_attributes: 'false',
    });
  });
});
