/**
 * The `Date` of an operation's answer comes from the IdP's clock — the clock that stamps `iat` — so a
 * resource server can read its sign-out cut-offs from it (API ADR 0070), also when tests move time.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestIdp, type TestIdp } from './helpers.ts';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t?.close());

const call = (op: string, body: object) =>
  fetch(t.idp.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${op}`,
      // Admin operations need a SigV4 header (ADR 0076); its signature is not checked.
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20261130/us-east-1/cognito-idp/aws4_request',
    },
    body: JSON.stringify(body),
  });

it('answers with the Date of its own clock, for successes and Cognito errors alike', async () => {
  t.clock.advance(3 * 3600_000);
  const expected = new Date(t.clock.now).toUTCString();
  const ok = await call('ListUsers', { UserPoolId: t.idp.pool.poolId });
  expect(ok.status).toBe(200);
  expect(ok.headers.get('date')).toBe(expected);
  const refused = await call('GlobalSignOut', { AccessToken: 'not-a-token' });
  expect(refused.status).toBe(400);
  expect(refused.headers.get('date')).toBe(expected);
});
