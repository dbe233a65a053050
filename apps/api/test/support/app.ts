import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { type AppOverrides, buildApp } from '../../src/app.ts';
import { requireGroups, requireScopes, requireUser } from '../../src/auth/deps.ts';
import type { AppConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './postgres.ts';

/**
 * Probe routes with each guard, registered through buildApp's `extraRoutes` so tests exercise the real
 * plugins and error handler without depending on business routes.
 */
export function probeRoutes(app: FastifyInstance): void {
  app.get('/probe/public', async () => ({ ok: true }));
  app.get('/probe/boom', async () => {
    throw new Error('connect to postgres://admin:hunter2@db failed');
  });
  app.get('/probe/user', { preHandler: requireUser() }, async (req) => ({
    sub: req.user.sub,
    groups: req.user.groups,
  }));
  app.get('/probe/admin', { preHandler: requireGroups('admin') }, async (req) => ({ sub: req.user.sub }));
  app.get('/probe/scope', { preHandler: requireScopes('items:write') }, async (req) => ({
    sub: req.user.sub,
  }));
  app.post(
    '/probe/echo',
    {
      schema: {
        body: {
          type: 'object',
          required: ['title'],
          additionalProperties: false,
          properties: { title: { type: 'string', minLength: 1, maxLength: 50 } },
        },
      },
    },
    async (req) => req.body,
  );
}

/**
 * The real app plus probe routes. Unless the config names a database (or one is passed), it gets its own
 * throw-away Postgres database (much faster to open than PGlite), dropped when the app closes.
 */
export async function buildProbeApp(
  config: AppConfig,
  overrides: AppOverrides = {},
): Promise<FastifyInstance> {
  let testDb: TestDatabase | undefined;
  if (!config.db.url && !overrides.db) {
    testDb = await createTestDatabase('api_sec');
    config = { ...config, db: { ...config.db, url: testDb.url } };
  }
  const app = await buildApp(config, {
    ...overrides,
    extraRoutes: async (scope) => {
      probeRoutes(scope);
      await overrides.extraRoutes?.(scope);
    },
  });
  if (testDb) {
    const db = testDb;
    app.addHook('onClose', async () => db.drop());
  }
  await app.ready();
  return app;
}

interface ResponseLike {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Asserts an application/problem+json answer with the given status, and returns its body. */
export function expectProblem(res: ResponseLike, status: number): Record<string, unknown> {
  expect(res.statusCode, res.body).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  expect(res.body).not.toMatch(/\bat .+\.(ts|js):\d+/); // never a stack trace
  return body;
}

/** A 401 invalid_token problem with an RFC 6750 challenge. */
export function expectInvalidToken(res: ResponseLike, description = 'token invalid'): void {
  const body = expectProblem(res, 401);
  expect(body.detail).toBe(description);
  expect(res.headers['www-authenticate']).toBe(
    `Bearer realm="api", error="invalid_token", error_description="${description}"`,
  );
}
