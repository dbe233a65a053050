import { Fn, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { uniqueName } from '../unique-name.ts';

export interface CacheProps {
  readonly vpc: ec2.IVpc;
  readonly envName: string;
  /** Ceilings the cache may scale to (cost guards, ADR 0195); it bills only what it uses below them. */
  readonly maxDataGb: number;
  readonly maxEcpuPerSecond: number;
}

/** Primary port (reads and writes) and the reader port (READONLY reads from replicas). */
const ports = ec2.Port.tcpRange(6379, 6380);

/**
 * ElastiCache Serverless for Valkey: always TLS, encrypted at rest, spread over the AZs, scaled by
 * AWS within the ceilings. Reachable only from the API tasks' security group, in the isolated
 * subnets. Access is by RBAC (the only access control Serverless has): the API signs in as user
 * `api` with a Secrets Manager password; the mandatory `default` user is switched off. Serverless
 * is always a Redis Cluster (every slot on one virtual node), so the API runs its cluster client
 * (REDIS_CLUSTER=true) and its keys are hash-tagged (ADR 0175). Holds rate-limit counters and
 * revocation entries, every one with a TTL (the cache evicts volatile-lru when full).
 */
export class Cache extends Construct {
  readonly serverlessCache: elasticache.CfnServerlessCache;
  readonly securityGroup: ec2.SecurityGroup;
  /** Password of the cache user `api`. */
  readonly apiPassword: secretsmanager.Secret;
  /** `REDIS_URL` (rediss://api:password@endpoint:6379) for the API. */
  readonly urlSecret: secretsmanager.Secret;
  /** Serverless is clustered: the API must use its cluster client (REDIS_CLUSTER, ADR 0175). */
  readonly clusterMode = true;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc: props.vpc,
      description: 'Valkey: reachable only from the API tasks',
      allowAllOutbound: false,
    });
    // ElastiCache passwords: 16-128 printable characters without @ " / or spaces; alphanumeric
    // also keeps the URL valid without escaping.
    this.apiPassword = new secretsmanager.Secret(this, 'ApiPassword', {
      description: 'Password of the Valkey user "api"',
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    });
    const users = [
      // Every user group must hold a user named "default"; this one can do nothing.
      new elasticache.CfnUser(this, 'DefaultUser', {
        engine: 'valkey',
        userId: uniqueName('default', props.envName),
        userName: 'default',
        accessString: 'off -@all',
        noPasswordRequired: true,
      }),
      new elasticache.CfnUser(this, 'ApiUser', {
        engine: 'valkey',
        userId: uniqueName('api', props.envName),
        userName: 'api',
        // All keys and commands: the same reach the replication group's AUTH token gave.
        accessString: 'on ~* +@all',
        passwords: [this.apiPassword.secretValue.unsafeUnwrap()],
      }),
    ];
    const group = new elasticache.CfnUserGroup(this, 'Users', {
      engine: 'valkey',
      userGroupId: uniqueName('api-users', props.envName),
      userIds: users.map((u) => u.userId),
    });
    for (const u of users) group.addResourceDependency(u);

    this.serverlessCache = new elasticache.CfnServerlessCache(this, 'Valkey', {
      serverlessCacheName: uniqueName('api-cache', props.envName),
      description: 'API rate limits and token revocation',
      engine: 'valkey',
      majorEngineVersion: '8',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      userGroupId: group.userGroupId,
      cacheUsageLimits: {
        dataStorage: { unit: 'GB', maximum: props.maxDataGb },
        ecpuPerSecond: { maximum: props.maxEcpuPerSecond },
      },
      dailySnapshotTime: '03:00',
      snapshotRetentionLimit: 1,
    });
    this.serverlessCache.addResourceDependency(group);

    const url = Fn.join('', [
      'rediss://api:',
      this.apiPassword.secretValue.unsafeUnwrap(),
      '@',
      this.serverlessCache.attrEndpointAddress,
      ':',
      this.serverlessCache.attrEndpointPort,
    ]);
    this.urlSecret = new secretsmanager.Secret(this, 'UrlSecret', {
      description: 'REDIS_URL for the API (derived from the api user password)',
      secretStringValue: SecretValue.unsafePlainText(url),
    });
  }

  allowFrom(peer: ec2.IConnectable): void {
    this.securityGroup.connections.allowFrom(peer, ports, 'API tasks to Valkey');
  }
}
