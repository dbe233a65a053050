import {
  Attachment,
  AttachmentList,
  AttachmentParams,
  AttachmentUpload,
  AttachmentUploadRequest,
  CompleteAttachment,
  ItemParams,
} from '@app/api-contract';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/deps.ts';
import type { AttachmentsService } from '../services/attachments/service.ts';
import { noContent, PROBLEMS, problems, security } from './openapi.ts';
import type { ContractTypeProvider } from './type-provider.ts';

const tags = ['attachments'];
const itemProblems = problems(400, 404, ...PROBLEMS.signedIn, ...PROBLEMS.always);

/**
 * /items/:id/attachments: an item's files through presigned S3 URLs (ADR 0170). Uploading is two
 * calls around the PUT to S3: `uploads` signs it, the POST records it after checking the object.
 * Another user's item or attachment answers 404 like a missing one (ADR 0040).
 */
export default async function attachmentsRoutes(
  root: FastifyInstance,
  opts: { attachments: AttachmentsService },
) {
  const app = root.withTypeProvider<ContractTypeProvider>();
  const { attachments } = opts;
  app.addHook('preHandler', requireUser());

  app.post(
    '/:id/attachments/uploads',
    {
      schema: {
        tags,
        summary: 'Sign an upload: a PUT URL bound to this content type and size',
        description:
          'Send the file’s name, `content_type` and `size`; a type not allowed is a 415, a size over the limit a 413. PUT the bytes to the answered URL with exactly those headers, then record the file with `POST .../attachments`.',
        security,
        params: ItemParams,
        body: AttachmentUploadRequest,
        response: {
          201: AttachmentUpload,
          ...problems(...PROBLEMS.body, 404, ...PROBLEMS.signedIn, ...PROBLEMS.always),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await attachments.presignUpload(req.user.sub, req.params.id, req.body)),
  );

  app.post(
    '/:id/attachments',
    {
      schema: {
        tags,
        summary: 'Record an uploaded file (checked: a wrong size or type is deleted, 422)',
        description:
          'After the PUT: the API reads the stored object’s size and type; when they differ from what was signed the object is deleted and the answer is 422. Otherwise the file is kept under the item and listed.',
        security,
        params: ItemParams,
        body: CompleteAttachment,
        response: {
          201: Attachment,
          ...problems(...PROBLEMS.body, 404, 409, 422, ...PROBLEMS.signedIn, ...PROBLEMS.always),
        },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await attachments.complete(req.user.sub, req.params.id, req.body)),
  );

  app.get(
    '/:id/attachments',
    {
      schema: {
        tags,
        security,
        summary: 'List the files of one of my items',
        description: 'Oldest first, each with a short-lived download URL. Another user’s item is a 404.',
        params: ItemParams,
        response: { 200: AttachmentList, ...itemProblems },
      },
    },
    async (req) => ({ attachments: await attachments.list(req.user.sub, req.params.id) }),
  );

  app.get(
    '/:id/attachments/:attachment_id',
    {
      schema: {
        tags,
        security,
        summary: 'Read one file’s record',
        description: 'Its name, type, size and a short-lived download URL. Another user’s file is a 404.',
        params: AttachmentParams,
        response: { 200: Attachment, ...itemProblems },
      },
    },
    async (req) => attachments.get(req.user.sub, req.params.id, req.params.attachment_id),
  );

  app.delete(
    '/:id/attachments/:attachment_id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a file of one of my items',
        description: 'The stored object and its record go. Another user’s file is a 404.',
        params: AttachmentParams,
        response: { ...noContent('The file and its record are deleted.'), ...itemProblems },
      },
    },
    async (req, reply) => {
      await attachments.remove(req.user.sub, req.params.id, req.params.attachment_id);
      return reply.code(204).send();
    },
  );
}
