import type { CfnElement } from 'aws-cdk-lib';
import { type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AppStack } from '../app-stack.ts';
import type { InfraConfig } from '../config.ts';

/**
 * Every cdk-nag (AwsSolutions) finding we accept, on the narrowest construct, each with the reason
 * it is acceptable. cdk-nag v3 acknowledges one finding id at a time (no prefix matching), so
 * IAM5 findings are listed individually. A new finding fails `cdk synth` and the infra tests.
 */
function ack(scope: IConstruct, reason: string, ...ids: string[]): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}

export function suppressAppStackFindings(stack: AppStack, config: InfraConfig): void {
  const { auth, api, web, database, cache } = stack;

  // --- Cognito
  ack(
    auth.userPool,
    'Length over composition (NIST SP 800-63B): the pool definition requires 12+ characters and no ' +
      'character classes; see docs/decisions/0007-password-policy.md.',
    'AwsSolutions-COG1',
  );
  ack(
    auth.userPool,
    'MFA is a product decision owned by the shared pool definition (mfaConfiguration); threat ' +
      'protection (Plus plan) adds adaptive challenges for risky sign-ins instead.',
    'AwsSolutions-COG2',
  );
  if (config.threatProtection !== 'ENFORCED') {
    ack(
      auth.userPool,
      `threatProtection=${config.threatProtection} chosen in context for this environment (cost of the Plus plan).`,
      'AwsSolutions-COG3',
    );
  }
  ack(
    auth.backendClientSecret,
    'Mirrors the Cognito app-client secret; it changes only when the client secret is rotated in ' +
      'Cognito, by the runbook in docs/deployment.md ("Rotating secrets").',
    'AwsSolutions-SMG4',
  );

  // --- Data
  ack(
    database.instance,
    'DATABASE_URL is derived from this password at deploy time; automatic rotation would leave it ' +
      'stale, so rotation follows the runbook in docs/deployment.md (ADR 0066).',
    'AwsSolutions-SMG4',
  );
  ack(
    database.urlSecret,
    'Derived from the RDS master secret; rotated with it (ADR 0066).',
    'AwsSolutions-SMG4',
  );
  ack(
    database.instance,
    'A non-default port is obscurity, not a control: the instance sits in isolated subnets and its ' +
      'security group admits only the API tasks.',
    'AwsSolutions-RDS11',
  );
  ack(
    cache.authToken,
    'Changing an ElastiCache AUTH token needs a ROTATE/SET modification of the replication group; ' +
      'done by the runbook in docs/deployment.md (ADR 0066).',
    'AwsSolutions-SMG4',
  );
  ack(cache.urlSecret, 'Derived from the Redis AUTH token; rotated with it (ADR 0066).', 'AwsSolutions-SMG4');
  ack(
    cache.replicationGroup,
    'A non-default port is obscurity, not a control: isolated subnets, security group admits only the API tasks.',
    'AwsSolutions-AEC5',
  );
  if (!config.multiAz) {
    ack(
      database.instance,
      'multiAz=false chosen in context for a non-production environment.',
      'AwsSolutions-RDS3',
    );
    ack(
      cache.replicationGroup,
      'multiAz=false chosen in context for a non-production environment.',
      'AwsSolutions-AEC4',
    );
  }

  // --- Service
  for (const task of [api.taskDefinition, api.migrationTask]) {
    ack(
      task,
      'Only non-secret configuration is passed as environment variables; DATABASE_URL, REDIS_URL and ' +
        'COGNITO_AUTH_CLIENT_SECRET come from Secrets Manager (asserted by infra/test/service.test.ts).',
      'AwsSolutions-ECS2',
    );
    if (task.executionRole) {
      ack(
        task.executionRole,
        'ecr:GetAuthorizationToken cannot be scoped to a resource; every other statement names its ARN.',
        'AwsSolutions-IAM5[Resource::*]',
      );
    }
  }
  ack(
    api.loadBalancer.connections.securityGroups[0] ?? api.loadBalancer,
    'Internet-facing ALB: 0.0.0.0/0 on 80/443 is its purpose; the regional WAF (rate limit + managed ' +
      'rules) is associated with it.',
    'AwsSolutions-EC23',
  );

  // --- Edge
  ack(web.distribution, 'A global audience: no country is excluded.', 'AwsSolutions-CFR1');
  if (!config.cloudFrontWebAclArn) {
    ack(
      web.distribution,
      'Static files are cacheable and cheap to serve; /api/* is rate-limited by the regional WAF on the ALB. ' +
        'Deploy EdgeWaf-<env> (us-east-1) and pass cloudFrontWebAclArn to add the edge ACL (ADR 0063).',
      'AwsSolutions-CFR2',
    );
  }
  if (!config.webCertificateArn) {
    ack(
      web.distribution,
      'Without a custom domain CloudFront serves *.cloudfront.net with its default certificate, whose ' +
        'policy AWS fixes; with webDomainName + webCertificateArn the policy is TLSv1.2_2021.',
      'AwsSolutions-CFR4',
    );
  }
  if (!config.certificateArn) {
    ack(
      web.distribution,
      'No certificateArn: the ALB has only an HTTP listener, so the /api/* origin is HTTP (warned at ' +
        'synth, ADR 0065). With a certificate the origin is HTTPS-only with TLSv1.2.',
      'AwsSolutions-CFR5',
    );
  }

  // The BucketDeployment that writes /config.json: a CDK-managed singleton Lambda.
  const deployer = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (deployer) {
    const siteArn = stack.getLogicalId(web.bucket.node.defaultChild as CfnElement);
    ack(
      deployer,
      'CDK-managed BucketDeployment handler (writes config.json at deploy time): its runtime, its ' +
        'basic-execution managed policy and its grants on the CDK asset bucket and the site bucket are ' +
        'generated by aws-cdk-lib, scoped to those two buckets.',
      'AwsSolutions-L1',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${config.region}/*]`,
      `AwsSolutions-IAM5[Resource::<${siteArn}.Arn>/*]`,
    );
  }
}

export function suppressEdgeWafFindings(_stack: Stack): void {
  // A lone web ACL raises no AwsSolutions findings; kept as the place to add one with its reason.
}
