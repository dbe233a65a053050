import { afterAll, describe, expect, it } from 'vitest';
import {
  buildProbeApp,
  expectInvalidToken,
  expectProblem,
  keyServerEnv,
  startJwksServer,
  testConfig,
} from '../support/index.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('fault: the JWKS endpoint goes down', () => {
  it('keeps verifying with cached keys, throttles refetches, and recovers', async () => {
    const keys = await startJwksServer();
    cleanups.push(() => keys.stop());
    const app = await buildProbeApp(testConfig(keyServerEnv(keys)), {
      verifier: { minRefetchIntervalMs: 1000, cacheMax: 0 },
    });
    cleanups.push(() => app.close());
    const get = (token: string) =>
      app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });
    expect((await get(keys.accessToken())).statusCode).toBe(200);

    await keys.stop();
    // New tokens signed with the known key keep working (the verified-token cache is off here).
    for (let i = 0; i < 3; i++) expect((await get(keys.accessToken())).statusCode).toBe(200);
    // A token with an unknown kid is a 401, whatever the JWKS server's state.
    expectInvalidToken(await get(keys.sign(keys.accessClaims(), { alg: 'RS256', kid: 'rotated' })));
    const ready = await app.inject({ url: '/ready' });
    expect(ready.json().checks.jwks).toBe('ok'); // keys are cached

    // Failing (500) rather than closed: refetches are throttled on errors too.
    await keys.restart();
    keys.setFailing(true);
    await new Promise((r) => setTimeout(r, 1100));
    const before = keys.hits();
    for (let i = 0; i < 5; i++)
      expectInvalidToken(await get(keys.sign(keys.accessClaims(), { alg: 'RS256', kid: `k${i}` })));
    expect(keys.hits() - before).toBe(1);
    expect((await get(keys.accessToken())).statusCode).toBe(200);
    keys.setFailing(false);
  });

  it('answers 503 (not 401, not 500) when no key was ever fetched and the IdP is unreachable', async () => {
    const keys = await startJwksServer();
    await keys.stop();
    const app = await buildProbeApp(testConfig(keyServerEnv(keys)), {
      verifier: { minRefetchIntervalMs: 500 },
    });
    cleanups.push(() => app.close());
    const token = keys.accessToken();
    const res = await app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });
    expect(expectProblem(res, 503).detail).toBe('Token verification is temporarily unavailable.');
    expect(res.headers['retry-after']).toBe('5');
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.jwks).toBe('unavailable');

    await keys.restart();
    await new Promise((r) => setTimeout(r, 600));
    const ok = await app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    await keys.stop();
  });
});

describe('fault: the IdP withdraws a key', () => {
  it('stops trusting the withdrawn key once the cached JWKS is older than its max age', async () => {
    const keys = await startJwksServer();
    cleanups.push(() => keys.stop());
    const app = await buildProbeApp(testConfig(keyServerEnv(keys)), {
      verifier: { minRefetchIntervalMs: 200, jwksMaxAgeMs: 500, cacheMax: 0 },
    });
    cleanups.push(() => app.close());
    const get = (token: string) =>
      app.inject({ url: '/probe/user', headers: { authorization: `Bearer ${token}` } });
    const oldToken = keys.accessToken();
    expect((await get(oldToken)).statusCode).toBe(200);

    // The IdP replaces its key; no token with the new kid arrives, so only the max age can tell us.
    keys.rotate();
    const hits = keys.hits();
    expect((await get(oldToken)).statusCode).toBe(200); // cache still fresh: no fetch
    expect(keys.hits()).toBe(hits);
    await new Promise((r) => setTimeout(r, 600));
    await get(oldToken); // served from the stale cache, and starts a background refresh
    let refused = false;
    for (let i = 0; i < 40 && !refused; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await get(oldToken);
      if (res.statusCode === 401) {
        expectInvalidToken(res);
        refused = true;
      }
    }
    expect(refused).toBe(true);
    expect(keys.hits()).toBeGreaterThan(hits);
    expect((await get(keys.accessToken())).statusCode).toBe(200);
  });
});
