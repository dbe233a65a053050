import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type AttachmentsConfig, isLoopbackUrl } from '../../config.ts';

/** What the bucket says about a stored object. */
export interface StoredObject {
  size: number;
  contentType: string;
}

/**
 * RFC 8187's ext-value for a file name: UTF-8, every byte outside attr-char percent-encoded.
 * encodeURIComponent keeps ' ( ) * as they are; ' ends the charset part, so those are encoded too.
 */
export function rfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The access key s3rver knows (it checks no SigV4 signature: ADR 0170). */
const LOCAL_KEY = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * The bucket, through the AWS SDK: presigned PUT and GET, and the checks and moves after an upload.
 * Credentials come from the default chain (the task role) except for a loopback endpoint.
 */
export class ObjectStore {
  private readonly client: S3Client;

  constructor(private readonly config: AttachmentsConfig) {
    const local = config.endpoint !== undefined && isLoopbackUrl(config.endpoint);
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
      ...(local ? { credentials: LOCAL_KEY } : {}),
      // A presigned PUT must not carry a checksum of an empty body (the SDK's default since 3.729).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
    });
  }

  /**
   * A PUT URL whose signature covers Content-Type and Content-Length: S3 refuses any other type or
   * size (SignatureDoesNotMatch), so the declared limits hold before a byte is stored.
   */
  async presignPut(key: string, contentType: string, size: number, expiresIn: number) {
    const url = await getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: size,
      }),
      { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
    );
    return { url, headers: { 'content-type': contentType } };
  }

  /** A GET URL that downloads under `fileName` (RFC 6266 filename*, so any name is safe). */
  presignGet(key: string, fileName: string, contentType: string, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        ResponseContentType: contentType,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${rfc8187(fileName)}`,
      }),
      { expiresIn },
    );
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return { size: out.ContentLength ?? -1, contentType: out.ContentType ?? '' };
    } catch (err) {
      if (err instanceof NotFound || (err as { name?: string }).name === 'NotFound') return null;
      throw err;
    }
  }

  async move(from: string, to: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.config.bucket,
        Key: to,
        CopySource: `${this.config.bucket}/${from}`,
        MetadataDirective: 'COPY',
      }),
    );
    await this.delete(from);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
