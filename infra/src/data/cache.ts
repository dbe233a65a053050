import { Fn, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface CacheProps {
  readonly vpc: ec2.IVpc;
  readonly nodeType: string;
  readonly multiAz: boolean;
}

/**
 * ElastiCache Redis (replication group) with TLS in transit, encryption at rest and an AUTH token
 * from Secrets Manager. Holds rate-limit counters and revocation entries for the API.
 */
export class Cache extends Construct {
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  readonly securityGroup: ec2.SecurityGroup;
  readonly authToken: secretsmanager.Secret;
  /** `REDIS_URL` (rediss://:token@host:port) for the API. */
  readonly urlSecret: secretsmanager.Secret;
  /**
   * Cluster mode disabled (one shard): the API uses a plain client. Its keys are hash-tagged, so a
   * move to cluster mode or Serverless only flips REDIS_CLUSTER (ADR 0175).
   */
  readonly clusterMode = false;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc: props.vpc,
      description: 'Redis: reachable only from the API tasks',
      allowAllOutbound: false,
    });
    const subnets = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Isolated data subnets',
      subnetIds: props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds,
    });
    // AUTH tokens allow only printable ASCII without @ " /; alphanumeric also keeps the URL valid.
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'Redis AUTH token',
      generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    });
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'API rate limits and token revocation',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: props.nodeType,
      numCacheClusters: props.multiAz ? 2 : 1,
      automaticFailoverEnabled: props.multiAz,
      multiAzEnabled: props.multiAz,
      cacheSubnetGroupName: subnets.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      port: 6379,
      snapshotRetentionLimit: 1,
      autoMinorVersionUpgrade: true,
    });
    const url = Fn.join('', [
      'rediss://:',
      this.authToken.secretValue.unsafeUnwrap(),
      '@',
      this.replicationGroup.attrPrimaryEndPointAddress,
      ':',
      this.replicationGroup.attrPrimaryEndPointPort,
    ]);
    this.urlSecret = new secretsmanager.Secret(this, 'UrlSecret', {
      description: 'REDIS_URL for the API (derived from the AUTH token)',
      secretStringValue: SecretValue.unsafePlainText(url),
    });
  }

  allowFrom(peer: ec2.IConnectable): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(6379), 'API tasks to Redis');
  }
}
