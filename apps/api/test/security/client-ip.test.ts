import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { rateLimit } from '../../src/plugins/app/rate-limit.ts';
import { RedisStore } from '../../src/stores/redis.ts';
import {
  buildProbeApp,
  deleteRedisPrefix,
  expectProblem,
  rawRequest,
  redisTestPrefix,
  SHARED_REDIS_URL,
  testConfig,
} from '../support/index.ts';

// The deployment (ADR 0074): CloudFront → ALB (in the VPC) → API. The ALB connects from a VPC
// address and its X-Forwarded-For ends with "<viewer>, <CloudFront edge>".
const VPC = '10.0.0.0/16';
const ALB = '10.0.1.20';
const EDGE = '130.176.0.5';
const VIEWER_A = '198.51.100.1';
const VIEWER_B = '198.51.100.2';
const LIMIT = 3;

const prefix = redisTestPrefix('api-client-ip');
const store = new RedisStore(SHARED_REDIS_URL, { keyPrefix: prefix });
afterAll(async () => {
  await deleteRedisPrefix(prefix);
  await store.close();
});

/** A route limited per client IP exactly like the auth routes (`key: req.ip`), answering the IP it saw. */
async function appTrusting(env: Record<string, string>): Promise<FastifyInstance> {
  return buildProbeApp(testConfig(env), {
    store,
    extraRoutes: (scope) => {
      const limit = rateLimit({ name: 'client-ip-probe', max: LIMIT, windowSeconds: 60, key: (r) => r.ip });
      scope.post('/probe/limited', { preHandler: limit }, async (req) => ({ ip: req.ip }));
    },
  });
}

describe('security: client IPs behind CloudFront and the ALB', () => {
  let app: FastifyInstance;
  const post = (remoteAddress: string, xff?: string) =>
    app.inject({
      method: 'POST',
      url: '/probe/limited',
      remoteAddress,
      headers: xff ? { 'x-forwarded-for': xff } : {},
    });

  beforeAll(async () => {
    app = await appTrusting({ TRUST_PROXY: VPC, TRUST_PROXY_HOPS: '1' });
  });
  afterAll(() => app?.close());

  it('gives two viewers behind the same proxies separate rate-limit buckets', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await post(ALB, `${VIEWER_A}, ${EDGE}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ ip: VIEWER_A });
    }
    const limited = await post(ALB, `${VIEWER_A}, ${EDGE}`);
    expect(expectProblem(limited, 429).detail).toMatch(/^Too many requests; retry after \d+ s\.$/);

    // Same ALB, same edge: another viewer still has its own budget.
    const other = await post(ALB, `${VIEWER_B}, ${EDGE}`);
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json()).toEqual({ ip: VIEWER_B });
  });

  it('ignores what a viewer writes into X-Forwarded-For before CloudFront appends its address', async () => {
    const viewer = '198.51.100.3';
    for (let i = 0; i < LIMIT; i++) {
      const res = await post(ALB, `203.0.113.${i}, ${viewer}, ${EDGE}`);
      expect(res.json()).toEqual({ ip: viewer });
    }
    expectProblem(await post(ALB, `203.0.113.99, ${viewer}, ${EDGE}`), 429);
  });

  it('takes the socket address of a client that connects directly, whatever X-Forwarded-For says', async () => {
    const direct = '203.0.113.50';
    for (let i = 0; i < LIMIT; i++) {
      const res = await post(direct, `192.0.2.${i}, ${EDGE}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ ip: direct });
    }
    // Rotating the header does not buy a fresh bucket.
    expectProblem(await post(direct, `192.0.2.77, ${EDGE}`), 429);
  });

  it('recognises the ALB as an IPv4-mapped IPv6 peer (a dual-stack listener)', async () => {
    const res = await post(`::ffff:${ALB}`, `198.51.100.4, ${EDGE}`);
    expect(res.json()).toEqual({ ip: '198.51.100.4' });
  });

  it('over a real socket from outside the trusted range, X-Forwarded-For is not believed', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    const res = await rawRequest(port, '/probe/limited', {
      method: 'POST',
      headers: { 'x-forwarded-for': `${VIEWER_B}, ${EDGE}` },
    });
    expect(JSON.parse(res.body)).toEqual({ ip: '127.0.0.1' });
  });
});

describe('TRUST_PROXY configuration', () => {
  it('shows why a hop count is refused: Fastify 5 trusts nothing for a number', async () => {
    // The pre-ADR-0074 deployed default was TRUST_PROXY=2, handed to Fastify as the number 2.
    const bare = Fastify({ trustProxy: 2 as unknown as boolean });
    bare.get('/ip', async (req) => ({ ip: req.ip }));
    const res = await bare.inject({
      url: '/ip',
      remoteAddress: ALB,
      headers: { 'x-forwarded-for': `${VIEWER_A}, ${EDGE}` },
    });
    // Every viewer would be the ALB: one shared rate-limit bucket for the whole internet.
    expect(res.json()).toEqual({ ip: ALB });
    await bare.close();
  });

  it.each(['2', '1', 'true'])(
    'loadConfig refuses TRUST_PROXY=%s with a message that says what to set',
    (value) => {
      let error: unknown;
      try {
        testConfig({ TRUST_PROXY: value });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toMatch(/^TRUST_PROXY: .*(CIDR|addresses)/m);
    },
  );

  it('refuses addresses that are not IPs or CIDRs, and hops without proxies', () => {
    expect(() => testConfig({ TRUST_PROXY: '10.0.0.0/16,alb.internal' })).toThrow(
      /"alb.internal" is not an IP/,
    );
    expect(() => testConfig({ TRUST_PROXY_HOPS: '1' })).toThrow(/TRUST_PROXY_HOPS: needs TRUST_PROXY/);
  });

  it('accepts proxy CIDRs with a hop count for the proxies in front of them', () => {
    const c = loadConfig({
      COGNITO_REGION: 'eu-west-1',
      COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyz',
      COGNITO_CLIENT_IDS: 'web1',
      WEB_ORIGIN: 'https://app.example.com',
      TRUST_PROXY: '10.0.0.0/24, 10.0.1.0/24',
      TRUST_PROXY_HOPS: '1',
    });
    expect(c.trustProxy).toEqual({ proxies: ['10.0.0.0/24', '10.0.1.0/24'], hops: 1 });
  });
});
