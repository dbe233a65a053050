import { CreateItem, Item, ItemPage, ItemParams, Pagination, UpdateItem } from '@app/api-contract';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import { notFound } from '../errors.ts';
import type { AttachmentsService } from '../services/attachments/service.ts';
import type { ItemsStore } from '../services/items/index.ts';
import { etagOf, ifMatchVersion } from './etag.ts';
import { noContent, PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

/** Every items route is signed in; the ones naming an item add 404 (a foreign one too, ADR 0040). */
const readProblems = problems(400, ...PROBLEMS.signedIn, ...PROBLEMS.always);
const itemProblems = problems(400, 404, ...PROBLEMS.signedIn, ...PROBLEMS.always);
const writeProblems = problems(...PROBLEMS.body, 404, 412, ...PROBLEMS.signedIn, ...PROBLEMS.always);

const missing = () => notFound('No such item.');
const IfMatch = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag you read; a stale one answers 412.' })),
});

/**
 * /items: the caller's own items. Another user's item answers 404 exactly like a missing one (ADR
 * 0040). Writes with If-Match only apply to that version (ADR 0091), so concurrent edits are not lost;
 * a stale one throws VersionConflictError, which the error handler answers with 412.
 */
export default async function itemsRoutes(
  root: FastifyInstance,
  opts: { items: ItemsStore; attachments?: AttachmentsService },
) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { items } = opts;
  app.addHook('preHandler', requireUser());

  app.get(
    '/',
    {
      schema: {
        tags: ['items'],
        security,
        summary: 'List my items, newest first',
        description:
          'A page of the caller’s items: `limit` with `offset`, or with `cursor` (the previous page’s `next_cursor`, stable while items are added). `total` counts them all.',
        querystring: Pagination,
        response: { 200: ItemPage, ...readProblems },
      },
    },
    async (req) => items.list(req.user.sub, req.query),
  );

  app.post(
    '/',
    {
      schema: {
        tags: ['items'],
        security,
        summary: 'Add an item',
        description:
          'A title (1–200 characters), an optional description and `done`. Answers 201 with the item, its `Location` and its `ETag` (the version, for `If-Match`).',
        body: CreateItem,
        response: { 201: Item, ...problems(...PROBLEMS.body, ...PROBLEMS.signedIn, ...PROBLEMS.always) },
      },
    },
    async (req, reply) => {
      const item = await items.create(req.user, req.body);
      return reply
        .code(201)
        .header('location', `${req.url.split('?')[0]!.replace(/\/$/, '')}/${item.id}`)
        .header('etag', etagOf(item.version))
        .send(item);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags: ['items'],
        security,
        summary: 'Read one of my items',
        description:
          'With its `ETag`. Another user’s item answers 404, exactly like one that does not exist.',
        params: ItemParams,
        response: { 200: Item, ...itemProblems },
      },
    },
    async (req, reply) => {
      const item = await items.get(req.user.sub, req.params.id);
      if (!item) throw missing();
      return reply.header('etag', etagOf(item.version)).send(item);
    },
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags: ['items'],
        security,
        summary: 'Change an item (title, description, done)',
        description:
          'Only the fields sent change. With `If-Match: "<version>"` the change applies only to that version: a stale one is a 412, so two editors never overwrite each other unseen.',
        params: ItemParams,
        headers: IfMatch,
        body: UpdateItem,
        response: { 200: Item, ...writeProblems },
      },
    },
    async (req, reply) => {
      const version = ifMatchVersion(req.headers['if-match']);
      const item = await items.update(req.user.sub, req.params.id, req.body, version);
      if (!item) throw missing();
      return reply.header('etag', etagOf(item.version)).send(item);
    },
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags: ['items'],
        security,
        summary: 'Delete an item and its attachments',
        description:
          'With `If-Match` only that version is deleted (412 when it changed since). The item’s files go with it.',
        params: ItemParams,
        headers: IfMatch,
        response: {
          ...noContent('The item is deleted.'),
          ...problems(400, 404, 412, ...PROBLEMS.signedIn, ...PROBLEMS.always),
        },
      },
    },
    async (req, reply) => {
      const version = ifMatchVersion(req.headers['if-match']);
      if (!(await items.delete(req.user.sub, req.params.id, version))) throw missing();
      await opts.attachments?.removeAll(req.user.sub, req.params.id); // an item's files go with it
      return reply.code(204).send();
    },
  );
}
