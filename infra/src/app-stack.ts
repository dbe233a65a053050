import { nativeClient, type UserPoolDefinition } from '@app/pool-definition';
import { webConfig } from '@app/stack/wiring';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ImportedUserPool, type StackUserPool } from './auth/imported-pool.ts';
import { PoolTriggers } from './auth/triggers.ts';
import { AppUserPool } from './auth/user-pool.ts';
import type { InfraConfig } from './config.ts';
import { AttachmentsBucket } from './data/attachments-bucket.ts';
import { Cache } from './data/cache.ts';
import { connectionBudget } from './data/connection-budget.ts';
import { appDbUser, Database } from './data/database.ts';
import { ItemsTable } from './data/items-table.ts';
import { originVerifyHeader } from './edge/origin-verify.ts';
import { RateLimitedWebAcl } from './edge/waf.ts';
import { viewerIpHeader, WebHosting } from './edge/web-hosting.ts';
import { Network } from './network/network.ts';
import { ApiAlarms } from './service/alarms.ts';
import { apiEnvironment } from './service/api-env.ts';
import { ApiService } from './service/api-service.ts';

export interface AppStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly definition: UserPoolDefinition;
  /** The API image repository (RegistryStack). */
  readonly repository: ecr.IRepository;
}

/** Everything one environment needs on AWS, one construct per responsibility. */
export class AppStack extends Stack {
  /** The pool the API uses: created here from the definition, or imported (ADR 0089). */
  readonly auth: StackUserPool;
  readonly api: ApiService;
  readonly web: WebHosting;
  readonly database: Database;
  /** The pool's triggers, when this stack owns the pool. */
  readonly triggers?: PoolTriggers;
  readonly cache: Cache;
  readonly items: ItemsTable;
  readonly attachments: AttachmentsBucket;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, props);
    const cfg = props.config;
    const retention = cfg.logRetentionDays as logs.RetentionDays;

    // One bucket for ALB, CloudFront and S3 access logs. CloudFront standard logs need ACLs.
    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const network = new Network(this, 'Network', { natGateways: cfg.natGateways, logRetention: retention });
    this.database = new Database(this, 'Database', {
      vpc: network.vpc,
      instanceClass: cfg.dbInstanceClass,
      allocatedStorageGiB: cfg.dbAllocatedStorageGiB,
      backupRetentionDays: cfg.dbBackupRetentionDays,
      multiAz: cfg.multiAz,
      envName: cfg.envName,
      logRetention: retention,
    });
    this.cache = new Cache(this, 'Cache', {
      vpc: network.vpc,
      envName: cfg.envName,
      maxDataGb: cfg.cacheMaxDataGb,
      maxEcpuPerSecond: cfg.cacheMaxEcpuPerSecond,
    });

    this.items = new ItemsTable(this, 'Items');
    this.attachments = new AttachmentsBucket(this, 'Attachments', {
      accessLogBucket: logBucket,
      envName: cfg.envName,
    });

    // The web origin is needed by the pool (callback URLs) and the API (CORS), and the CDN needs
    // the ALB: so the URL is computed up front from config when a domain is given.
    this.auth = cfg.existingUserPool
      ? new ImportedUserPool(this, 'Auth', { definition: props.definition, ...cfg.existingUserPool })
      : new AppUserPool(this, 'Auth', {
          definition: props.definition,
          envName: cfg.envName,
          threatProtection: cfg.threatProtection,
          domainPrefix: cfg.domainPrefix,
          passkeyRelyingPartyId: cfg.passkeyRelyingPartyId ?? cfg.webDomainName,
          ...(cfg.oidcProvider ? { oidcProvider: cfg.oidcProvider } : {}),
          ...(cfg.emailFrom
            ? {
                email: {
                  from: cfg.emailFrom,
                  ...(cfg.emailReplyTo ? { replyTo: cfg.emailReplyTo } : {}),
                  ...(cfg.sesVerifiedDomain ? { sesVerifiedDomain: cfg.sesVerifiedDomain } : {}),
                },
              }
            : {}),
        });
    const publicClient = props.definition.clients.find((c) => !c.generateSecret && !c.nativeApp);
    const cliClient = nativeClient(props.definition);
    const backendClient = props.definition.clients.find((c) => c.generateSecret);
    if (!publicClient || !backendClient)
      throw new Error('pool definition needs a public and a confidential client');

    const apiConfig = apiEnvironment({
      region: Aws.REGION,
      userPoolId: this.auth.userPool.userPoolId,
      issuer: this.auth.issuer,
      clientIds: props.definition.clients
        .filter((c) => this.auth.hasClient(c.key))
        .map((c) => this.auth.clientId(c.key)),
      machineClientIds: this.auth.machineClientIds,
      authClientId: this.auth.clientId(backendClient.key),
      // The ALB reaches the tasks from inside the VPC and admits only CloudFront (ADR 0074).
      trustProxy: { proxies: network.vpc.vpcCidrBlock, hops: 1 },
      dbPoolMax: cfg.dbPoolMax,
      redisCluster: this.cache.clusterMode,
      itemsTable: this.items.table.tableName,
      attachmentsBucket: this.attachments.bucket.bucketName,
      secrets: {
        COGNITO_AUTH_CLIENT_SECRET: this.auth.backendClientSecret,
        DATABASE_URL: this.database.appUrlSecret,
        REDIS_URL: this.cache.urlSecret,
      },
    });

    // TLS from CloudFront to the ALB needs a name the ALB's certificate covers (ADR 0085): given, or
    // issued here in the hosted zone (DNS-validated by CloudFormation) with the record pointing at the ALB.
    const zone =
      cfg.hostedZoneId && cfg.hostedZoneName
        ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
            hostedZoneId: cfg.hostedZoneId,
            zoneName: cfg.hostedZoneName,
          })
        : undefined;
    const certificate = cfg.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'ApiCertificate', cfg.certificateArn)
      : zone && cfg.apiDomainName
        ? new acm.Certificate(this, 'ApiCertificate', {
            domainName: cfg.apiDomainName,
            validation: acm.CertificateValidation.fromDns(zone),
          })
        : undefined;

    this.api = new ApiService(this, 'Api', {
      vpc: network.vpc,
      envName: cfg.envName,
      imageTag: cfg.imageTag,
      repository: props.repository,
      cpu: cfg.apiCpu,
      memoryMiB: cfg.apiMemoryMiB,
      minCount: cfg.apiDesiredCount,
      maxCount: cfg.apiMaxCount,
      logRetention: retention,
      certificate,
      cloudFrontPrefixListId: cfg.cloudFrontPrefixListId,
      userPoolArn: this.auth.userPool.userPoolArn,
      environment: apiConfig.environment,
      secrets: apiConfig.secrets,
      // The migration task alone is the master user; it creates app_rw, whose URL the service uses.
      migration: {
        environment: { APP_DB_USER: appDbUser },
        secrets: {
          DATABASE_URL: ecs.Secret.fromSecretsManager(this.database.urlSecret),
          APP_DB_PASSWORD: ecs.Secret.fromSecretsManager(this.database.appUserSecret, 'password'),
        },
      },
      accessLogBucket: logBucket,
    });
    network.allowEndpointsFrom(this.api.securityGroup);
    this.database.allowFrom(this.api.securityGroup);
    this.cache.allowFrom(this.api.securityGroup);
    // The pool's Lambda triggers from functions/ (ADR 0121); an imported pool keeps its own.
    if (this.auth instanceof AppUserPool) {
      this.triggers = new PoolTriggers(this, 'Triggers', {
        definition: props.definition,
        userPool: this.auth.userPool,
        vpc: network.vpc,
        database: this.database,
        sendsThroughSes: Boolean(cfg.emailFrom),
        logRetention: retention,
      });
      network.allowEndpointsFrom(this.triggers.securityGroup);
    }
    // The service reads and writes items; the migration task never touches the table.
    this.items.grantItems(this.api.taskDefinition.taskRole);
    this.attachments.grantApi(this.api.taskDefinition.taskRole);
    if (zone && cfg.apiDomainName) {
      new route53.ARecord(this, 'ApiRecord', {
        zone,
        recordName: cfg.apiDomainName,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.api.loadBalancer)),
      });
    }

    this.web = new WebHosting(this, 'Web', {
      loadBalancer: this.api.loadBalancer,
      albDomainName: certificate ? cfg.apiDomainName : undefined,
      originHeaders: { [originVerifyHeader]: this.api.originSecret.secretValue.unsafeUnwrap() },
      logBucket,
      domainName: cfg.webDomainName,
      certificateArn: cfg.webCertificateArn,
      webAclArn: cfg.cloudFrontWebAclArn,
      region: cfg.region,
      hostedUiUrl: this.auth.hostedUiUrl,
      filesUrl: this.attachments.filesOrigin(cfg.region),
    });
    // WEB_ORIGIN is the CDN's URL, known only once the CDN exists; the CDN depends on the ALB,
    // not on the task definition, so adding it afterwards creates no cycle.
    for (const task of [this.api.taskDefinition, this.api.migrationTask]) {
      task.defaultContainer?.addEnvironment('WEB_ORIGIN', this.web.url);
    }
    this.auth.addHostedUiUrls([this.web.url]);
    this.attachments.allowWebOrigin(this.web.url);

    this.web.deployRuntimeConfig(
      webConfig(
        {
          poolId: this.auth.userPool.userPoolId,
          webClientId: this.auth.clientId(publicClient.key),
          // `cognito-stack login --web --web-url <WebUrl>` finds its client here (ADR 0197).
          ...(cliClient && this.auth.hasClient(cliClient.key)
            ? { cliClientId: this.auth.clientId(cliClient.key) }
            : {}),
          region: Aws.REGION,
        },
        {
          apiUrl: this.web.url,
          filesUrl: this.attachments.filesOrigin(cfg.region),
          ...(this.auth.hostedUiUrl
            ? {
                hostedUi: {
                  url: this.auth.hostedUiUrl,
                  webUrls: [this.web.url],
                  identityProviders: this.auth.identityProviders ?? [],
                },
              }
            : {}),
        },
      ),
    );

    const waf = new RateLimitedWebAcl(this, 'Waf', {
      scope: 'REGIONAL',
      name: `app-api-${cfg.envName}`,
      rateLimitPer5Min: cfg.wafRateLimitPer5Min,
      // Behind CloudFront the source address is an edge server; the viewer's is in this header.
      viewerIpHeader,
    });
    waf.associate(this.api.loadBalancer.loadBalancerArn);

    const alarms = new ApiAlarms(this, 'Alarms', {
      envName: cfg.envName,
      loadBalancer: this.api.loadBalancer,
      targetGroup: this.api.targetGroup,
      service: this.api.service,
      database: this.database.instance,
      dbConnectionsAvailable: connectionBudget({ ...cfg, maxConnections: cfg.dbMaxConnections ?? 0 })
        .available,
      alarmEmail: cfg.alarmEmail,
    });
    // A deployment that sets off these alarms rolls back on its own, like one that fails health checks.
    this.api.service.enableDeploymentAlarms(
      alarms.deploymentAlarms.map((a) => a.alarmName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );

    // Outputs the deploy workflow and the docs read (names are stable: scripts depend on them).
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    out('UserPoolId', this.auth.userPool.userPoolId, 'COGNITO_USER_POOL_ID');
    out('WebClientId', this.auth.clientId(publicClient.key), 'public SPA client id');
    out('BackendClientId', this.auth.clientId(backendClient.key), 'COGNITO_AUTH_CLIENT_ID');
    if (cliClient && this.auth.hasClient(cliClient.key))
      out('CliClientId', this.auth.clientId(cliClient.key), 'command-line client id (also in config.json)');
    out('Issuer', this.auth.issuer, 'COGNITO_ISSUER');
    if (this.auth.machineClientIds.length > 0)
      out('MachineClientIds', this.auth.machineClientIds.join(','), 'COGNITO_MACHINE_CLIENT_IDS');
    if (this.auth instanceof AppUserPool)
      out('HostedUiDomain', this.auth.domain.baseUrl(), 'Cognito hosted UI');
    out(
      'DatabaseInstanceId',
      this.database.instanceIdentifier,
      'RDS instance identifier (password rotation, restores)',
    );
    out('ClusterName', this.api.cluster.clusterName, 'ECS cluster');
    out('ServiceName', this.api.service.serviceName, 'ECS service');
    out('MigrationTaskDefinitionArn', this.api.migrationTask.taskDefinitionArn, 'run once per deploy');
    out(
      'MigrationSubnets',
      network.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds.join(','),
      'subnets for the migration task',
    );
    out(
      'MigrationSecurityGroup',
      this.api.securityGroup.securityGroupId,
      'security group for the migration task',
    );
    out('LoadBalancerDns', this.api.loadBalancer.loadBalancerDnsName, 'CNAME target for apiDomainName');
    out('WebBucketName', this.web.bucket.bucketName, 'sync the SPA build here');
    out('DistributionId', this.web.distribution.distributionId, 'invalidate after a web deploy');
    out('WebUrl', this.web.url, 'the app');
  }
}
