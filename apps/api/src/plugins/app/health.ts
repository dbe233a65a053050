import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problemRef, problems } from '../../routes/openapi.ts';

type CheckResult = 'ok' | 'unavailable';

async function check(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const ok = await Promise.race([
      fn().then((r) => r !== false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    return ok ? 'ok' : 'unavailable';
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}

const Status = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    checks: {
      type: 'object',
      properties: {
        database: { type: 'string' },
        items: { type: 'string' },
        store: { type: 'string' },
        jwks: { type: 'string' },
      },
    },
  },
} as const;

const Links = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    docs: { type: 'string' },
    openapi: { type: 'string' },
    health: { type: 'string' },
    ready: { type: 'string' },
    api: { type: 'string' },
  },
} as const;

/**
 * /: where to go from here (the docs, the health checks), instead of a bare 404.
 * /health: the process is alive (no dependency checked, for liveness probes).
 * /ready: the database, the items store (DynamoDB when chosen), the store (Redis) and the JWKS answer
 * (for load-balancer readiness).
 */
export const healthPlugin = fp(
  async (app: FastifyInstance) => {
    app.get(
      '/',
      {
        schema: {
          tags: ['ops'],
          summary: 'Links to the docs and the health checks',
          description:
            'What a browser or a client finds at the root: these docs, the OpenAPI JSON, the health checks and the API’s base path. Public.',
          response: { 200: Links, ...problems(500, 503) },
        },
      },
      async () => ({
        name: 'cognito-stack API',
        docs: '/docs',
        openapi: '/docs/json',
        health: '/health',
        ready: '/ready',
        api: '/api/v1',
      }),
    );
    // Liveness is never shed (pressure.ts), so only our own failure is possible.
    app.get(
      '/health',
      {
        schema: {
          tags: ['ops'],
          summary: 'Liveness: the process answers',
          description: 'Checks nothing else, for liveness probes; never shed under load. Public.',
          response: { 200: Status, ...problems(500) },
        },
      },
      async () => ({
        status: 'ok',
      }),
    );
    app.get(
      '/ready',
      {
        schema: {
          tags: ['ops'],
          summary: 'Readiness: the database, the items store, Redis and the signing keys answer',
          description:
            'For load-balancer readiness: 503 with `checks` naming the part that does not answer. Public.',
          response: {
            200: Status,
            ...problems(500),
            // Not ready (the checks say which part), or load shed before the checks ran (a problem).
            503: {
              description:
                'Not ready: `checks` names the part that does not answer; or load shed (problem+json).',
              content: {
                'application/json': { schema: Status },
                'application/problem+json': { schema: problemRef },
              },
            },
          },
        },
      },
      async (_req, reply) => {
        const [database, items, store, jwks] = await Promise.all([
          check(() => app.db.ping()),
          check(() => app.items.ping()),
          check(() => app.store.ping()),
          check(() => app.verifier.jwksReady()),
        ]);
        const checks = { database, items, store, jwks };
        const ready = Object.values(checks).every((c) => c === 'ok');
        reply.code(ready ? 200 : 503);
        return { status: ready ? 'ready' : 'unavailable', checks };
      },
    );
  },
  { name: 'health', dependencies: ['db', 'items', 'store', 'verifier'] },
);
