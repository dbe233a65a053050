import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../docker/bundle.ts';
import {
  abandonedUploadDays,
  attachmentCommandActions,
  attachmentPrefixes,
} from '../src/data/attachments-bucket.ts';
import { onlyResource, policyStatements, resourcesOf, type Synth, synth, taskRoleOf } from './synth.ts';

const objectStoreFile = join(repoRoot, 'apps/api/src/services/attachments/object-store.ts');

/** The S3 commands the API's object store sends: imported from @aws-sdk/client-s3 and constructed. */
function s3CommandsTheApiSends(): string[] {
  const text = readFileSync(objectStoreFile, 'utf8');
  const imported = new Set(
    [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-s3'/g)].flatMap((m) =>
      (m[1] ?? '').split(',').map((n) => n.trim()),
    ),
  );
  return [...text.matchAll(/new\s+(\w+)Command\s*\(/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => imported.has(`${name}Command`))
    .sort();
}

/** The bucket with attachment prefixes (the stack has other buckets: access logs, the web app). */
function attachmentsBucket(s: Synth): [string, Record<string, unknown>] {
  const found = resourcesOf(s.template, 'AWS::S3::Bucket').filter(([, b]) =>
    JSON.stringify(b.LifecycleConfiguration ?? {}).includes('"Prefix":"uploads/"'),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('attachments bucket (ADR 0170)', () => {
  let s: Synth;
  beforeAll(() => {
    s = synth();
  });

  it('is private, encrypted, TLS-only, retained, and expires abandoned uploads', () => {
    const [id, bucket] = attachmentsBucket(s);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.BucketEncryption)).toContain('"SSEAlgorithm":"AES256"');
    const rules = (bucket.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toContainEqual(
      expect.objectContaining({
        Prefix: 'uploads/',
        ExpirationInDays: abandonedUploadDays,
        Status: 'Enabled',
      }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: abandonedUploadDays },
      }),
    );
    // Kept when the stack goes; deleted only by the rollback of the deploy that created it (ADR 0220).
    expect(s.template.toJSON().Resources[id].DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(s.template.toJSON().Resources[id].UpdateReplacePolicy).toBe('Retain');
    // Deleting a file deletes its bytes: no noncurrent versions kept (ADR 0224).
    expect(bucket.VersioningConfiguration).toBeUndefined();
    const policies = resourcesOf(s.template, 'AWS::S3::BucketPolicy').filter(([, p]) =>
      JSON.stringify(p.Bucket).includes(id),
    );
    expect(JSON.stringify(policies)).toContain('"aws:SecureTransport":"false"');
  });

  it('lets the web origin PUT and GET (CORS), nothing else', () => {
    const [, bucket] = attachmentsBucket(s);
    const cors = (bucket.CorsConfiguration as { CorsRules: Record<string, unknown>[] }).CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]?.AllowedMethods).toEqual(['PUT', 'GET', 'HEAD']);
    expect(cors[0]?.AllowedHeaders).toEqual(['content-type']);
    // Exactly the SPA's origin: https:// and the distribution's domain (no wildcard, no other site).
    const [distributionId] = onlyResource(s.template, 'AWS::CloudFront::Distribution');
    expect(cors[0]?.AllowedOrigins).toEqual([
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] },
    ]);
  });

  it('grants the task role exactly the actions of the S3 commands the API sends, on its two prefixes only', () => {
    const sent = s3CommandsTheApiSends();
    expect(sent).toContain('PutObject');
    expect(sent).toContain('HeadObject');
    expect(Object.keys(attachmentCommandActions).sort()).toEqual(sent);
    const derived = [...new Set(sent.flatMap((c) => attachmentCommandActions[c] ?? []))].sort();

    const [bucketId] = attachmentsBucket(s);
    const statements = policyStatements(s.template, (st) => JSON.stringify(st.Resource).includes(bucketId));
    expect(statements).toHaveLength(1);
    const [st] = statements;
    expect([st?.Action].flat().sort()).toEqual(derived);
    const resources = JSON.stringify(st?.Resource);
    for (const prefix of attachmentPrefixes) expect(resources).toContain(`/${prefix}*`);
    expect((resources.match(/\*/g) ?? []).length).toBe(attachmentPrefixes.length);
    // The service's task role only: not the migration task's, not an execution role.
    const roleOf = (name: string) => taskRoleOf(s.template, name);
    expect(roleOf('api')).toBeDefined();
    expect(JSON.parse(st?.roles ?? '[]')).toEqual([{ Ref: roleOf('api') }]);
    expect(roleOf('migrate')).not.toBe(roleOf('api'));
  });

  it('tells the service which bucket, with no endpoint override', () => {
    const [bucketId] = attachmentsBucket(s);
    const [, task] =
      resourcesOf(s.template, 'AWS::ECS::TaskDefinition').find(([, t]) =>
        JSON.stringify(t.ContainerDefinitions).includes('"Name":"api"'),
      ) ?? [];
    const env = JSON.stringify(task?.ContainerDefinitions);
    expect(env).toContain(`{"Name":"ATTACHMENTS_BUCKET","Value":{"Ref":"${bucketId}"}}`);
    expect(env).not.toContain('S3_ENDPOINT');
  });
});
