import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimsOf, poolPassword, startTestIdp, type TestIdp, uniqueEmail } from './helpers.ts';

// The newest aws-amplify v6 in Node (a key-value storage adapter instead of localStorage), pointed at
// the IdP with userPoolEndpoint. It refreshes only through GetTokensFromRefreshToken.
let t: TestIdp;
const ops: string[] = [];
const email = uniqueEmail('amplify');
const storage = new Map<string, string>();
const hourMs = 3600_000;

beforeAll(async () => {
  t = await startTestIdp({
    users: [{ email, password: poolPassword }],
    log: (entry) => {
      if (typeof entry.op === 'string') ops.push(entry.op);
    },
  });
});
afterEach(async () => {
  await signOut().catch(() => {});
  vi.useRealTimers();
});
afterAll(() => t.close());

function configure(clientId: string) {
  Amplify.configure({
    Auth: {
      Cognito: { userPoolId: t.idp.pool.poolId, userPoolClientId: clientId, userPoolEndpoint: t.idp.url },
    },
  });
  // After configure, which installs its default storage.
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    setItem: async (k, v) => void storage.set(k, v),
    getItem: async (k) => storage.get(k) ?? null,
    removeItem: async (k) => void storage.delete(k),
    clear: async () => storage.clear(),
  });
}

/** Moves both clocks: Amplify's (Date) and the IdP's, as real time passing would. */
function passTime(ms: number) {
  t.clock.advance(ms);
  vi.setSystemTime(Date.now() + ms);
}

const storedRefreshToken = () => [...storage].find(([k]) => k.endsWith('.refreshToken'))?.[1];

describe('aws-amplify v6 against the IdP', () => {
  it('signs in with SRP, refreshes on demand and silently after expiry', async () => {
    configure(t.web.clientId);
    const result = await signIn({ username: email, password: poolPassword });
    expect(result.isSignedIn).toBe(true);
    const first = (await fetchAuthSession()).tokens!;
    expect(first.idToken!.payload.email).toBe(email);

    ops.length = 0;
    const forced = (await fetchAuthSession({ forceRefresh: true })).tokens!;
    expect(ops).toContain('GetTokensFromRefreshToken');
    expect(forced.accessToken.payload.jti).not.toBe(first.accessToken.payload.jti);
    expect(forced.accessToken.payload.origin_jti).toBe(first.accessToken.payload.origin_jti);

    vi.useFakeTimers({ toFake: ['Date'] });
    ops.length = 0;
    const beforeExpiry = (await fetchAuthSession()).tokens!;
    expect(beforeExpiry.accessToken.payload.jti).toBe(forced.accessToken.payload.jti);
    expect(ops).not.toContain('GetTokensFromRefreshToken');

    passTime(2 * hourMs);
    const silent = (await fetchAuthSession()).tokens!;
    expect(ops).toContain('GetTokensFromRefreshToken');
    expect(silent.accessToken.payload.exp! * 1000).toBeGreaterThan(Date.now());
    expect(silent.accessToken.payload.origin_jti).toBe(first.accessToken.payload.origin_jti);
  });

  it('keeps the rotated refresh token a rotating client returns, and refreshes with it again', async () => {
    const created = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.idp.pool.poolId,
        ClientName: 'amplify-rotating',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    configure(created.UserPoolClient!.ClientId!);
    await signIn({ username: email, password: poolPassword });
    const original = storedRefreshToken();
    expect(original).toBeDefined();

    await fetchAuthSession({ forceRefresh: true });
    const rotated = storedRefreshToken();
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(original);

    const again = (await fetchAuthSession({ forceRefresh: true })).tokens!;
    expect(storedRefreshToken()).not.toBe(rotated);
    expect(claimsOf(again.accessToken.toString()).client_id).toBe(created.UserPoolClient!.ClientId);
  });
});
