import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

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
