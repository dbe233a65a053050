import { CreateItem, Item, ItemPage, ItemParams, Pagination, UpdateItem } from '@app/api-contract';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { notFound } from '../errors.ts';
import type { ItemsService } from '../services/items.ts';
import { security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

const missing = () => notFound('No such item.');

/** /items: the caller's own items. Another user's item answers 404 exactly like a missing one (ADR 0040). */
export default async function itemsRoutes(root: FastifyInstance, opts: { items: ItemsService }) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { items } = opts;
  app.addHook('preHandler', requireUser());

  app.get(
    '/',
    { schema: { tags: ['items'], security, querystring: Pagination, response: { 200: ItemPage } } },
    async (req) => items.list(req.user.sub, req.query),
  );

  app.post(
    '/',
    { schema: { tags: ['items'], security, body: CreateItem, response: { 201: Item } } },
    async (req, reply) => {
      const item = await items.create(req.user, req.body);
      return reply
        .code(201)
        .header('location', `${req.url.split('?')[0]!.replace(/\/$/, '')}/${item.id}`)
        .send(item);
    },
  );

  app.get(
    '/:id',
    { schema: { tags: ['items'], security, params: ItemParams, response: { 200: Item } } },
    async (req) => (await items.get(req.user.sub, req.params.id)) ?? Promise.reject(missing()),
  );

  app.patch(
    '/:id',
    { schema: { tags: ['items'], security, params: ItemParams, body: UpdateItem, response: { 200: Item } } },
    async (req) => (await items.update(req.user.sub, req.params.id, req.body)) ?? Promise.reject(missing()),
  );

  app.delete('/:id', { schema: { tags: ['items'], security, params: ItemParams } }, async (req, reply) => {
    if (!(await items.delete(req.user.sub, req.params.id))) throw missing();
    return reply.code(204).send();
  });
}
