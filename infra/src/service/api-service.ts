import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { originVerifyHeader } from '../edge/origin-verify.ts';
import { apiPort } from './api-env.ts';
import { cognitoIamActions } from './cognito-actions.ts';
import { CloudFrontOriginFacing } from './origin-facing.ts';

export interface ApiServiceProps {
  readonly vpc: ec2.IVpc;
  readonly envName: string;
  readonly imageTag: string;
  readonly repository: ecr.IRepository;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Autoscaling minimum; the service's DesiredCount itself is left to autoscaling. */
  readonly minCount: number;
  readonly maxCount: number;
  readonly logRetention: logs.RetentionDays;
  /** The ALB's HTTPS certificate; without one the listener is plain HTTP (allowHttpOrigin only). */
  readonly certificate?: acm.ICertificate;
  /** Known id of CloudFront's origin-facing prefix list; otherwise looked up at deploy time. */
  readonly cloudFrontPrefixListId?: string;
  /** The user pool the API administers (the task role may call its IAM-authorized operations). */
  readonly userPoolArn: string;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  /** Overrides for the migration task (it connects as the master user and creates the API's login). */
  readonly migration?: {
    readonly environment?: Record<string, string>;
    readonly secrets?: Record<string, ecs.Secret>;
  };
  readonly accessLogBucket: s3.IBucket;
}

/** The ALB's idle timeout; the API's keepAliveTimeout is set above it (DESIGN.md). */
export const albIdleTimeoutSeconds = 60;

/**
 * The ALB's health check is the shallow liveness path: a Redis or RDS failover must not make every
 * target unhealthy at once (ECS would replace them all). /ready stays for humans and deploy checks.
 */
export const albHealthCheckPath = '/health';

/**
 * Target tracking: average CPU, and ALB requests per task per minute (3000 = 50 requests/s per task,
 * the figure docs/deployment.md's "Scale out" section calls the default load per task).
 */
export const scalingTargets = { cpuPercent: 60, requestsPerTaskPerMinute: 3000 } as const;

/**
 * Fargate service behind an ALB reachable only from CloudFront, CPU and request-count
 * autoscaling, and a second task definition that runs the database migrations once per deploy.
 */
export class ApiService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly migrationTask: ecs.FargateTaskDefinition;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly https: boolean;
  /** The value CloudFront sends in `x-origin-verify`; the ALB forwards only requests carrying it. */
  readonly originSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const image = ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag);

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.taskDefinition.addContainer('api', {
      image,
      essential: true,
      portMappings: [{ containerPort: apiPort, name: 'http' }],
      environment: props.environment,
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'api' }),
      healthCheck: {
        command: ['CMD', 'node', '/app/healthcheck.mjs'],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(20),
      },
      stopTimeout: Duration.seconds(30),
    });

    // The Cognito operations the API signs with IAM (admin routes, sign-in lookups), on this pool
    // only. The list is checked against the API's code by infra/test/iam.test.ts (ADR 0086).
    this.taskDefinition.addToTaskRolePolicy(
      new iam.PolicyStatement({
        actions: cognitoIamActions.map((a) => `cognito-idp:${a}`),
        resources: [props.userPoolArn],
      }),
    );

    // Same image, same configuration, different command: `node migrate.mjs` exits when done.
    this.migrationTask = new ecs.FargateTaskDefinition(this, 'MigrateTask', {
      cpu: 256,
      memoryLimitMiB: 512,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.migrationTask.addContainer('migrate', {
      image,
      essential: true,
      command: ['node', '/app/migrate.mjs'],
      environment: { ...props.environment, ...props.migration?.environment },
      secrets: { ...props.secrets, ...props.migration?.secrets },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'migrate' }),
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSg', {
      vpc: props.vpc,
      description: 'API tasks (service and migration task)',
      allowAllOutbound: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // No DesiredCount: CloudFormation would reset the autoscaled count on every deploy.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      securityGroups: [this.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
    });

    const albSg = new ec2.SecurityGroup(this, 'AlbSg', {
      vpc: props.vpc,
      description: 'ALB in front of the API: CloudFront origin-facing addresses only',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: albSg,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      idleTimeout: Duration.seconds(albIdleTimeoutSeconds),
      dropInvalidHeaderFields: true,
      deletionProtection: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogBucket, 'alb');
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      port: apiPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service],
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: albHealthCheckPath,
        healthyHttpCodes: '200',
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });

    // Only CloudFront's origin-facing servers reach the ALB: no bypass of CloudFront and its WAF.
    const originFacing = new CloudFrontOriginFacing(this, 'CloudFrontOriginFacing', {
      prefixListId: props.cloudFrontPrefixListId,
    });
    this.https = props.certificate !== undefined;
    const port = this.https ? 443 : 80;
    albSg.addIngressRule(
      ec2.Peer.prefixList(originFacing.prefixListId),
      ec2.Port.tcp(port),
      'CloudFront origin-facing servers only',
    );
    // The prefix list admits every CloudFront distribution, any account's: a secret header that
    // only this stack's distribution sends admits ours alone (ADR 0177). Anything else gets 403.
    this.originSecret = new secretsmanager.Secret(this, 'OriginSecret', {
      description: `Value of the ${originVerifyHeader} header CloudFront sends to the ALB`,
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });
    const notFromCloudFront = elbv2.ListenerAction.fixedResponse(403, {
      contentType: 'text/plain',
      messageBody: 'Forbidden',
    });
    const listener = props.certificate
      ? this.loadBalancer.addListener('Https', {
          port: 443,
          protocol: elbv2.ApplicationProtocol.HTTPS,
          certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          defaultAction: notFromCloudFront,
          open: false,
        })
      : this.loadBalancer.addListener('Http', {
          port: 80,
          protocol: elbv2.ApplicationProtocol.HTTP,
          defaultAction: notFromCloudFront,
          open: false,
        });
    listener.addAction('FromCloudFront', {
      priority: 1,
      conditions: [
        elbv2.ListenerCondition.httpHeader(originVerifyHeader, [
          this.originSecret.secretValue.unsafeUnwrap(),
        ]),
      ],
      action: elbv2.ListenerAction.forward([this.targetGroup]),
    });
    if (!props.certificate) {
      Annotations.of(this).addWarningV2(
        'app:alb-http-only',
        'allowHttpOrigin=true: CloudFront reaches the ALB over plain HTTP, so passwords and tokens ' +
          'cross the network unencrypted between CloudFront and the ALB. For anything but a trial pass ' +
          '-c hostedZoneId/-c hostedZoneName or -c certificateArn/-c apiDomainName (docs/decisions/0085).',
      );
    }
    albSg.connections.allowTo(this.securityGroup, ec2.Port.tcp(apiPort), 'ALB to API tasks');

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: scalingTargets.cpuPercent,
      scaleInCooldown: Duration.seconds(120),
      scaleOutCooldown: Duration.seconds(60),
    });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: scalingTargets.requestsPerTaskPerMinute,
      targetGroup: this.targetGroup,
      scaleInCooldown: Duration.seconds(120),
      scaleOutCooldown: Duration.seconds(60),
    });
  }
}
