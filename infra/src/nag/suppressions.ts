import type { CfnElement } from 'aws-cdk-lib';
import { type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AppStack } from '../app-stack.ts';
import { AppUserPool } from '../auth/user-pool.ts';
import type { InfraConfig } from '../config.ts';
import { attachmentPrefixes } from '../data/attachments-bucket.ts';

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

  // --- Cognito (only when this stack owns the pool; an imported one is Terraform's)
  if (auth instanceof AppUserPool) suppressPoolFindings(auth, config);

  // --- The pool's Lambda triggers (ADR 0121)
  for (const part of stack.triggers?.parts ?? []) {
    const logs = stack.getLogicalId(part.logGroup.node.defaultChild as CfnElement);
    ack(
      part.role,
      'A function writes only to its own log group; CloudWatch Logs names the streams inside it (<group ARN>:*).',
      `AwsSolutions-IAM5[Resource::<${logs}.Arn>:*]`,
    );
    if (part.database)
      ack(
        part.role,
        'Lambda in a VPC creates its own network interfaces; these EC2 actions take no resource ARN (Lambda developer guide).',
        'AwsSolutions-IAM5[Resource::*]',
      );
  }

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
    database.appUserSecret,
    "The API's login password; the migration task sets it on every run, so rotation is: put a new " +
      'value, run the migration task, redeploy (docs/deployment.md, "Rotating secrets").',
    'AwsSolutions-SMG4',
  );
  ack(database.appUrlSecret, "Derived from the API login's secret; rotated with it.", 'AwsSolutions-SMG4');
  ack(
    database.instance,
    'A non-default port is obscurity, not a control: the instance sits in isolated subnets and its ' +
      'security group admits only the API tasks.',
    'AwsSolutions-RDS11',
  );
  ack(
    cache.apiPassword,
    'A new password for the Valkey user "api" is set with modify-user (two passwords may overlap), then ' +
      'REDIS_URL is re-derived: the runbook in docs/deployment.md (ADR 0066).',
    'AwsSolutions-SMG4',
  );
  ack(
    api.originSecret,
    'CloudFront and the ALB listener rule read it at deploy time; a rotation is a new value and a ' +
      'deploy (docs/deployment.md, "Rotating secrets"), as an automatic one would break /api/* until then.',
    'AwsSolutions-SMG4',
  );
  ack(
    cache.urlSecret,
    'Derived from the api user password; rotated with it (ADR 0066).',
    'AwsSolutions-SMG4',
  );
  if (!config.multiAz) {
    ack(
      database.instance,
      'multiAz=false chosen in context for a non-production environment.',
      'AwsSolutions-RDS3',
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
  const attachmentsArn = stack.getLogicalId(stack.attachments.bucket.node.defaultChild as CfnElement);
  ack(
    api.taskDefinition.taskRole,
    'Attachment object keys are made per upload (random ids, ADR 0170), so the grant names the two ' +
      'key prefixes the API writes, never the whole bucket; infra/test/attachments-bucket.test.ts ' +
      "derives the actions from the API's S3 calls.",
    ...attachmentPrefixes.map((p) => `AwsSolutions-IAM5[Resource::<${attachmentsArn}.Arn>/${p}*]`),
  );
  const lookup = api.node.tryFindChild('CloudFrontOriginFacing')?.node.tryFindChild('Lookup');
  const provider = stack.node.children.find((c) =>
    c.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'),
  );
  for (const scope of [lookup, provider]) {
    if (!scope) continue;
    ack(
      scope,
      "CDK-managed AwsCustomResource that reads the id of CloudFront's origin-facing prefix list at deploy " +
        'time (ec2:DescribeManagedPrefixLists has no resource-level permissions); its runtime and ' +
        'basic-execution policy are generated by aws-cdk-lib. Pass cloudFrontPrefixListId to drop it.',
      'AwsSolutions-L1',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Resource::*]',
    );
  }

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
  if (!api.https) {
    ack(
      web.distribution,
      'allowHttpOrigin=true chosen in context for a trial without a domain: the /api/* origin is HTTP ' +
        '(warned at synth, ADR 0085). Otherwise the origin is HTTPS-only with TLSv1.2.',
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

function suppressPoolFindings(auth: AppUserPool, config: InfraConfig): void {
  ack(
    auth.userPool,
    'Length over composition (NIST SP 800-63B): the pool definition requires 12+ characters and no ' +
      'character classes; see docs/decisions/0007-password-policy.md.',
    'AwsSolutions-COG1',
  );
  ack(
    auth.userPool,
    'MFA is a product decision owned by the shared pool definition (mfaConfiguration OPTIONAL with ' +
      'an authenticator app, ADR 0116); threat protection (Plus plan) adds adaptive challenges for risky sign-ins.',
    'AwsSolutions-COG2',
  );
  if (config.threatProtection !== 'ENFORCED') {
    ack(
      auth.userPool,
      `threatProtection=${config.threatProtection} chosen in context for this environment (cost of the Plus plan).`,
      'AwsSolutions-COG3',
    );
  }
  if (config.threatProtection === 'OFF') {
    ack(
      auth.userPool,
      'threatProtection=OFF chosen in context for this environment: the Essentials plan, without the ' +
        'Plus plan that threat protection needs (docs/deployment.md, staging).',
      'AwsSolutions-COG8',
    );
  }
  ack(
    auth.backendClientSecret,
    'Mirrors the Cognito app-client secret; it changes only when the client secret is rotated in ' +
      'Cognito, by the runbook in docs/deployment.md ("Rotating secrets").',
    'AwsSolutions-SMG4',
  );
}
