import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The IAM action each S3 command of the API needs (apps/api/src/services/attachments/object-store.ts;
 * a test derives the commands from that code). HeadObject and the source of CopyObject are reads.
 */
export const attachmentCommandActions: Record<string, string[]> = {
  PutObject: ['s3:PutObject'],
  GetObject: ['s3:GetObject'],
  HeadObject: ['s3:GetObject'],
  CopyObject: ['s3:GetObject', 's3:PutObject'],
  DeleteObject: ['s3:DeleteObject'],
};

/** The two key prefixes the API writes (ADR 0170): unchecked uploads, and checked files. */
export const attachmentPrefixes = ['uploads/', 'files/'] as const;

/** Uploads never completed are deleted after this many days. */
export const abandonedUploadDays = 1;

/**
 * Item attachments (ADR 0170): private (no public access, TLS only, S3-managed encryption, the bucket
 * owner owns every object), browsers of the web origin may PUT and GET through presigned URLs,
 * and uploads that were never checked expire by lifecycle. Retained when the stack goes (not when
 * the deploy that created it rolls back).
 */
export class AttachmentsBucket extends Construct {
  readonly bucket: s3.Bucket;
  /**
   * The bucket's name, made from the environment, account and region rather than read back from
   * the bucket: the SPA's CSP names it, and CloudFront's headers policy must not depend on the
   * bucket, whose CORS rule depends on CloudFront (a cycle).
   */
  readonly name: string;

  constructor(scope: Construct, id: string, props: { accessLogBucket: s3.IBucket; envName: string }) {
    super(scope, id);
    this.name = `app-attachments-${props.envName}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: this.name,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'attachments/',
      lifecycleRules: [
        { prefix: 'uploads/', expiration: Duration.days(abandonedUploadDays) },
        { abortIncompleteMultipartUploadAfter: Duration.days(abandonedUploadDays) },
      ],
      // Retained when the stack goes or replaces it, but deleted by the rollback of the deploy that
      // created it (RetainExceptOnCreate): its name is fixed, and a bucket left behind by a failed
      // first deploy would make the retry fail with "already exists" (ADR 0220).
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
  }

  /**
   * The bucket's regional virtual-hosted origin, `https://<bucket>.s3.<region>.amazonaws.com`: the
   * host of the API's presigned URLs (AWS SDK v3, no path style), so the SPA's CSP and config name it.
   */
  filesOrigin(region: string): string {
    return `https://${this.name}.s3.${region}.${Aws.URL_SUFFIX}`;
  }

  /** The SPA's origin may upload and download with presigned URLs (its PUT sends Content-Type). */
  allowWebOrigin(origin: string): void {
    this.bucket.addCorsRule({
      allowedOrigins: [origin],
      allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
      allowedHeaders: ['content-type'],
      exposedHeaders: ['ETag'],
      maxAge: 600,
    });
  }

  /** Exactly the actions the API's S3 commands need, on the API's two prefixes only. */
  grantApi(grantee: iam.IGrantable): iam.Grant {
    const actions = [...new Set(Object.values(attachmentCommandActions).flat())].sort();
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: attachmentPrefixes.map((p) => this.bucket.arnForObjects(`${p}*`)),
    });
  }
}
