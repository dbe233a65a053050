import { Problem } from '@app/api-contract';
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

/**
 * How to get a token to try the API, shown at the top of /docs. Markdown, rendered by the UI.
 * Facts only about this API's own routes; the pool's endpoints are named generically.
 */
const DESCRIPTION = `The resource server of cognito-stack: your items, your account, and an admin console, for
clients whose users sign in through Amazon Cognito (or the local Cognito-compatible IdP).

**Public routes** (no padlock below) need no token: sign-up, its code, password reset, sign-in,
refresh, and the health checks. **Every other route** needs an access token from the pool, sent as
\`Authorization: Bearer <access_token>\`; a missing, expired or revoked one is answered 401.

### Getting a token to try it here

1. Create an account: \`POST /api/v1/auth/register\`, then \`POST /api/v1/auth/verify-otp\` with the
   mailed code (locally the code is in the IdP's dev mailbox, \`/_dev/mailbox\` on the IdP's port).
2. Sign in: \`POST /api/v1/auth/login\` with \`{"email": "...", "password": "..."}\`. The answer's
   \`access_token\` is the token (or a \`challenge_name\` step to answer at \`/api/v1/auth/challenge\`
   first, e.g. an MFA code).
3. Press **Authorize**, paste the \`access_token\` (without "Bearer"), and call any route.
   It lasts \`expires_in\` seconds; \`POST /api/v1/auth/refresh\` with the \`refresh_token\` gives a new one.

A token from any other client of the same pool works too: the web app's (SRP sign-in), the command
line client's (\`cognito-stack login\`), or a machine client's (\`client_credentials\` at the pool's
\`/oauth2/token\`, for the scoped \`/api/v1/exports\` routes). Admin routes need the \`admin\` group.

### Errors

Every error is \`application/problem+json\` (RFC 9457), the \`Problem\` schema: \`status\`, \`title\`,
a \`detail\` safe to show to a person, \`errors\` per field on a 400, and the \`request_id\` (also the
\`x-request-id\` header) to quote when reporting a problem.`;

const TAGS = [
  {
    name: 'auth',
    description: 'Sign-up, sign-in and sessions for clients that are not browsers (ADR 0042).',
  },
  {
    name: 'users',
    description: 'The signed-in user: profile, account deletion, authenticator app, devices.',
  },
  { name: 'mfa', description: 'The authenticator app (TOTP) of the signed-in user.' },
  { name: 'devices', description: 'Devices remembered by the pool’s device tracking.' },
  { name: 'items', description: 'The signed-in user’s items; nobody else sees them (404).' },
  {
    name: 'attachments',
    description: 'Files attached to an item, uploaded straight to S3 through a presigned URL.',
  },
  {
    name: 'exports',
    description: 'Machine clients (client credentials) reading a user’s items with a scope.',
  },
  {
    name: 'admin',
    description: 'The admin console: users, groups, sessions and the audit list (group `admin`).',
  },
  { name: 'ops', description: 'Where to go from here, liveness and readiness.' },
];

/**
 * OpenAPI 3 document built from the route schemas, with the interactive UI at /docs (JSON at /docs/json).
 * Only guarded routes declare `security` (the padlock); schemas with a `$id` are components by that name.
 */
export const swaggerPlugin = fp(
  async (app: FastifyInstance) => {
    // Every error response refers to it (routes/openapi.ts problemRef): one `Problem` component.
    app.addSchema(Problem);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'cognito-stack API', version: '1.0.0', description: DESCRIPTION },
        tags: TAGS,
        components: {
          securitySchemes: {
            bearerAuth: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'JWT',
              description: 'The access token from `POST /api/v1/auth/login` (or any client of the pool).',
            },
          },
        },
      },
      // Shared schemas are named by their `$id` (`Item`, `Problem`...), not `def-0`.
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, i) =>
          typeof json.$id === 'string' ? json.$id : `def-${i}`,
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
