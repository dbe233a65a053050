import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A route schema flag: the body may be left out (the route reads a missing body as `{}`). */
export const OPTIONAL_BODY = 'x-optional-body';

/** @fastify/swagger marks every schema'd body required; routes flagged with OPTIONAL_BODY are not. */
function markOptionalBodies<T extends { paths?: object }>(doc: T): T {
  for (const path of Object.values(doc.paths ?? {}) as Record<string, Record<string, unknown>>[]) {
    for (const op of Object.values(path)) {
      if (!op || typeof op !== 'object' || !(OPTIONAL_BODY in op)) continue;
      delete op[OPTIONAL_BODY];
      const body = op.requestBody as { required?: boolean } | undefined;
      if (body) body.required = false;
    }
  }
  return doc;
}

/** OpenAPI 3 document built from the route schemas, with the interactive UI at /docs (JSON at /docs/json). */
export const swaggerPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'cognito-stack API',
          version: '1.0.0',
          description: 'Resource server for Cognito-authenticated clients, plus backend auth endpoints.',
        },
        // Applied to every operation so the UI's "Authorize" token is sent; public routes ignore it.
        security: [{ bearerAuth: [] }],
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
      },
      transformObject: (doc) =>
        'openapiObject' in doc ? markOptionalBodies(doc.openapiObject) : doc.swaggerObject,
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      // Same reason as in helmet.ts: the local stack serves the docs over http on loopback.
      transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
      uiConfig: { deepLinking: false },
    });
  },
  { name: 'swagger' },
);
