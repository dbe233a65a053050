/**
 * Which resources of a template would make the retry of a failed first deploy fail (ADR 0220).
 * When a stack's first deploy fails, CloudFormation rolls back by deleting what it created, except
 * resources it keeps: DeletionPolicy Retain or Snapshot... keep them, and deletion protection makes
 * their delete fail (the stack ends in ROLLBACK_FAILED and still holds them). The retry creates
 * every resource again under the same physical names: a name that is fixed (not derived from the
 * stack id, which a new stack does not share) and still taken fails it with "already exists".
 */

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  DependsOn?: string | string[];
};
export type TemplateJson = { Resources: Record<string, Resource> };

/** The property holding the physical name, for the types whose names must be unique. */
export const namedBy: Record<string, string> = {
  'AWS::S3::Bucket': 'BucketName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::ElastiCache::ServerlessCache': 'ServerlessCacheName',
  'AWS::ElastiCache::User': 'UserId',
  'AWS::ElastiCache::UserGroup': 'UserGroupId',
  'AWS::WAFv2::WebACL': 'Name',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
};

/** Deletion protection as each type spells it: a delete during the rollback then fails. */
export function deletionProtected(r: Resource): boolean {
  const p = r.Properties ?? {};
  if (p.DeletionProtection === true || p.DeletionProtection === 'true') return true;
  if (p.DeletionProtection === 'ACTIVE' || p.DeletionProtectionEnabled === true) return true;
  const attrs = (p.LoadBalancerAttributes as { Key: string; Value: string }[] | undefined) ?? [];
  return attrs.some((a) => a.Key === 'deletion_protection.enabled' && a.Value === 'true');
}

/** Kept by the rollback of the deploy that created it (the policy, or a delete that fails). */
function survivesRollback(r: Resource): boolean {
  const policy = r.DeletionPolicy ?? 'Delete';
  return !['Delete', 'RetainExceptOnCreate'].includes(policy) || deletionProtected(r);
}

/** `id` is referenced by (or a dependency of) `other`: CloudFormation deletes `other` first. */
function neededBy(id: string, other: Resource): boolean {
  const text = JSON.stringify(other.Properties ?? {});
  return (
    [other.DependsOn ?? []].flat().includes(id) ||
    text.includes(`{"Ref":"${id}"}`) ||
    text.includes(`{"Fn::GetAtt":["${id}",`)
  );
}

/**
 * The named resources a failed first deploy leaves behind under a name the retry reuses, as
 * `<logical id> (<type> <name>)`. A resource stays if it survives the rollback itself, or if one
 * that needs it does (CloudFormation does not delete a dependency of a resource it failed to delete).
 */
export function namesBlockingRetry(template: TemplateJson): string[] {
  const resources = Object.entries(template.Resources);
  const stays = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const [id, r] of resources) {
      if (stays.has(id)) continue;
      if (survivesRollback(r) || resources.some(([otherId, o]) => stays.has(otherId) && neededBy(id, o))) {
        stays.add(id);
        changed = true;
      }
    }
  }
  const blocking: string[] = [];
  for (const [id, r] of resources) {
    const prop = namedBy[r.Type];
    const name = prop ? r.Properties?.[prop] : undefined;
    if (name === undefined || !stays.has(id)) continue;
    // A name made from the stack id is new in the retry's stack.
    if (JSON.stringify(name).includes('"Ref":"AWS::StackId"')) continue;
    blocking.push(`${id} (${r.Type} ${JSON.stringify(name)})`);
  }
  return blocking;
}
