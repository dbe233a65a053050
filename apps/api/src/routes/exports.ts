import { ItemPage, Pagination } from '@app/api-contract';
import { definition } from '@app/pool-definition';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireScopes } from '../auth/deps.ts';
import type { ItemsStore } from '../services/items/index.ts';
import { PROBLEMS, problems } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

/** The resource-server scope of the pool definition this route needs (ADR 0083, 0135). */
export const ITEMS_READ_SCOPE = 'app-api/items.read';
const defined = definition.resourceServers.flatMap((r) => r.scopes.map((s) => `${r.identifier}/${s.name}`));
if (!defined.includes(ITEMS_READ_SCOPE)) throw new Error(`the pool definition lacks ${ITEMS_READ_SCOPE}`);

const OwnerParams = Type.Object({
  sub: Type.String({ format: 'uuid', description: "the owner's Cognito sub" }),
});

/**
 * /exports: read-only access for integrations — a machine client's client-credentials token (or any
 * token) carrying `app-api/items.read`. One owner's items per page, the same pages as GET /items.
 */
export default async function exportRoutes(root: FastifyInstance, opts: { items: ItemsStore }) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  app.addHook('preHandler', requireScopes(ITEMS_READ_SCOPE));

  app.get(
    '/users/:sub/items',
    {
      schema: {
        tags: ['exports'],
        security: [{ bearerAuth: [ITEMS_READ_SCOPE] }],
        summary: 'Read one user’s items (integrations, scope app-api/items.read)',
        description:
          'For a machine client’s token (client credentials at the pool’s `/oauth2/token`, scope `app-api/items.read`) or any token with that scope; a token without it is a 403. The same pages as `GET /api/v1/items`.',
        params: OwnerParams,
        querystring: Pagination,
        // 403: a token without the scope (a user's, or another machine's).
        response: { 200: ItemPage, ...problems(400, 403, ...PROBLEMS.signedIn, ...PROBLEMS.always) },
      },
    },
    async (req) => opts.items.list(req.params.sub, req.query),
  );
}
