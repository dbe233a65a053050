import { type Static, Type } from '@sinclair/typebox';

/**
 * The file types an attachment may have. No HTML, SVG or scripts: the files are served from the
 * bucket's origin, and these types cannot run script there.
 */
export const ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/** 128 random bits, base64url: the attachment's id and the last part of its object key. */
export const AttachmentId = Type.String({ pattern: '^[A-Za-z0-9_-]{22}$' });

export const AttachmentParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  attachment_id: AttachmentId,
});

/** What the client means to upload; the presigned request is bound to exactly this type and size. */
export const AttachmentUploadRequest = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    content_type: Type.String({ minLength: 1, maxLength: 100 }),
    size: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type AttachmentUploadRequest = Static<typeof AttachmentUploadRequest>;

/** Send `method` to `url` with exactly these `headers` and the file as the body, before `expires_at`. */
export const AttachmentUpload = Type.Object({
  upload_id: AttachmentId,
  method: Type.Literal('PUT'),
  url: Type.String(),
  headers: Type.Record(Type.String(), Type.String()),
  expires_at: Type.String({ format: 'date-time' }),
  max_bytes: Type.Integer(),
});
export type AttachmentUpload = Static<typeof AttachmentUpload>;

/** After the upload: the API checks the stored object against these and records the attachment. */
export const CompleteAttachment = Type.Object(
  {
    upload_id: AttachmentId,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    content_type: Type.String({ minLength: 1, maxLength: 100 }),
    size: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type CompleteAttachment = Static<typeof CompleteAttachment>;

export const Attachment = Type.Object(
  {
    id: AttachmentId,
    item_id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    content_type: Type.String(),
    size: Type.Integer(),
    created_at: Type.String({ format: 'date-time' }),
    /** A short-lived presigned GET (the file downloads under its name). */
    download_url: Type.String(),
    download_expires_at: Type.String({ format: 'date-time' }),
  },
  { $id: 'Attachment' },
);
export type Attachment = Static<typeof Attachment>;

export const AttachmentList = Type.Object({ attachments: Type.Array(Attachment) });
export type AttachmentList = Static<typeof AttachmentList>;
