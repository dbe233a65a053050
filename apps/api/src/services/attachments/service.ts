import { createHash, randomBytes } from 'node:crypto';
import {
  ATTACHMENT_TYPES,
  type Attachment,
  type AttachmentUpload,
  type AttachmentUploadRequest,
  type CompleteAttachment,
} from '@app/api-contract';
import type { FastifyBaseLogger } from 'fastify';
import { conflict, HttpProblem, notFound, titleFor } from '../../errors.ts';
import type { ItemsStore } from '../items/index.ts';
import type { ObjectStore } from './object-store.ts';
import type { AttachmentRecord, AttachmentRecords } from './records.ts';

/** A presigned upload is good for five minutes; a download link for ten. */
export const UPLOAD_TTL_SECONDS = 300;
export const DOWNLOAD_TTL_SECONDS = 600;

const problem = (status: number, detail: string) =>
  new HttpProblem({ status, title: titleFor(status), detail });
const noItem = () => notFound('No such item.');
const noAttachment = () => notFound('No such attachment.');

/**
 * Object keys hold no client text: a hash of the owner's sub, the item's UUID and 128 random bits.
 * They cannot be guessed, and nothing in them can climb out of the prefix. Uploads land under
 * `uploads/` (expired by the bucket's lifecycle when never completed) and move to `files/` only
 * after the API has checked them.
 */
export function objectKey(stage: 'uploads' | 'files', ownerSub: string, itemId: string, id: string): string {
  const owner = createHash('sha256').update(ownerSub).digest('base64url');
  return `${stage}/${owner}/${itemId}/${id}`;
}

/**
 * Item attachments through presigned URLs (ADR 0170). The API never carries the bytes: it signs a
 * PUT bound to the declared type and size, and after the upload checks the stored object itself
 * (type, size) before recording it — the local S3 server checks no signatures, and a check here
 * holds whatever the bucket enforces.
 */
export class AttachmentsService {
  constructor(
    private readonly items: ItemsStore,
    private readonly records: AttachmentRecords,
    private readonly objects: ObjectStore,
    readonly maxBytes: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  async presignUpload(
    ownerSub: string,
    itemId: string,
    req: AttachmentUploadRequest,
  ): Promise<AttachmentUpload> {
    await this.requireItem(ownerSub, itemId);
    this.checkDeclared(req.content_type, req.size);
    const id = randomBytes(16).toString('base64url');
    const { url, headers } = await this.objects.presignPut(
      objectKey('uploads', ownerSub, itemId, id),
      req.content_type,
      req.size,
      UPLOAD_TTL_SECONDS,
    );
    return {
      upload_id: id,
      method: 'PUT',
      url,
      headers,
      expires_at: new Date(Date.now() + UPLOAD_TTL_SECONDS * 1000).toISOString(),
      max_bytes: this.maxBytes,
    };
  }

  /** Checks what was uploaded, moves it into place and records it. Completing twice answers the same. */
  async complete(ownerSub: string, itemId: string, body: CompleteAttachment): Promise<Attachment> {
    await this.requireItem(ownerSub, itemId);
    this.checkDeclared(body.content_type, body.size);
    const uploadKey = objectKey('uploads', ownerSub, itemId, body.upload_id);
    const stored = await this.objects.head(uploadKey);
    if (!stored) {
      const done = await this.records.get(ownerSub, itemId, body.upload_id);
      if (done) return this.present(done);
      throw conflict('Nothing was uploaded for this upload_id, or the upload expired.');
    }
    const wrongSize = stored.size !== body.size || stored.size > this.maxBytes;
    const wrongType = stored.contentType !== body.content_type;
    if (wrongSize || wrongType) {
      await this.objects.delete(uploadKey);
      throw problem(
        422,
        wrongSize
          ? `The uploaded file has ${stored.size} bytes, not the ${body.size} declared (at most ${this.maxBytes}); it was deleted.`
          : `The uploaded file is ${stored.contentType || 'untyped'}, not ${body.content_type}; it was deleted.`,
      );
    }
    const record: AttachmentRecord = {
      id: body.upload_id,
      itemId,
      name: body.name,
      contentType: stored.contentType,
      size: stored.size,
      objectKey: objectKey('files', ownerSub, itemId, body.upload_id),
      createdAt: new Date().toISOString(),
    };
    await this.objects.move(uploadKey, record.objectKey);
    await this.records.add(ownerSub, record);
    // The item may have been deleted since the check above; its delete removes only the records it
    // found. Looking again after recording closes the gap: a record added too late is removed here.
    if (!(await this.items.get(ownerSub, itemId))) {
      await this.objects.delete(record.objectKey);
      await this.records.remove(ownerSub, itemId, record.id);
      throw noItem();
    }
    return this.present(record);
  }

  async list(ownerSub: string, itemId: string): Promise<Attachment[]> {
    await this.requireItem(ownerSub, itemId);
    return Promise.all((await this.records.list(ownerSub, itemId)).map((r) => this.present(r)));
  }

  async get(ownerSub: string, itemId: string, id: string): Promise<Attachment> {
    const record = await this.records.get(ownerSub, itemId, id);
    if (!record) throw noAttachment();
    return this.present(record);
  }

  async remove(ownerSub: string, itemId: string, id: string): Promise<void> {
    const record = await this.records.get(ownerSub, itemId, id);
    if (!record) throw noAttachment();
    await this.objects.delete(record.objectKey);
    await this.records.remove(ownerSub, itemId, id);
  }

  /** After the item itself is deleted: its files and their records. */
  async removeAll(ownerSub: string, itemId: string): Promise<void> {
    for (const record of await this.records.list(ownerSub, itemId)) {
      try {
        await this.objects.delete(record.objectKey);
        await this.records.remove(ownerSub, itemId, record.id);
      } catch (err) {
        // The item is gone either way; an object left behind is logged, never shown to the caller.
        this.log.error({ err, attachment: record.id }, 'could not delete an attachment of a deleted item');
      }
    }
  }

  /**
   * Account deletion: every file of the owner leaves the bucket; the records go with the owner's
   * data (the users row's cascade, or the DynamoDB partition). Returns how many files were removed.
   */
  async removeAllOf(ownerSub: string): Promise<number> {
    const records = await this.records.listAllOf(ownerSub);
    for (const record of records) {
      await this.objects.delete(record.objectKey);
      await this.records.remove(ownerSub, record.itemId, record.id);
    }
    return records.length;
  }

  private async requireItem(ownerSub: string, itemId: string): Promise<void> {
    if (!(await this.items.get(ownerSub, itemId))) throw noItem();
  }

  private checkDeclared(contentType: string, size: number): void {
    if (!(ATTACHMENT_TYPES as readonly string[]).includes(contentType))
      throw problem(415, `Attachments may be ${ATTACHMENT_TYPES.join(', ')}.`);
    if (size > this.maxBytes) throw problem(413, `An attachment may have at most ${this.maxBytes} bytes.`);
  }

  private async present(r: AttachmentRecord): Promise<Attachment> {
    return {
      id: r.id,
      item_id: r.itemId,
      name: r.name,
      content_type: r.contentType,
      size: r.size,
      created_at: r.createdAt,
      download_url: await this.objects.presignGet(r.objectKey, r.name, r.contentType, DOWNLOAD_TTL_SECONDS),
      download_expires_at: new Date(Date.now() + DOWNLOAD_TTL_SECONDS * 1000).toISOString(),
    };
  }
}
