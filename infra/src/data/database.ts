import { Duration, Fn, RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { uniqueName } from '../unique-name.ts';

export interface DatabaseProps {
  readonly vpc: ec2.IVpc;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly backupRetentionDays: number;
  readonly multiAz: boolean;
  readonly envName: string;
  readonly logRetention: logs.RetentionDays;
}

const dbName = 'app';
const dbUser = 'app';
/** The API's own login, created by the migration task (apps/api/src/db/app-role.ts). */
export const appDbUser = 'app_rw';

/**
 * RDS PostgreSQL in the isolated subnets: encrypted storage, automated backups, deletion
 * protection, TLS forced. The generated master password is alphanumeric so it can sit in a URL.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  /** `app-postgres-<env>-<piece of the stack id>`: unique per stack (ADR 0220). */
  readonly instanceIdentifier: string;
  readonly securityGroup: ec2.SecurityGroup;
  /** `DATABASE_URL` of the master user: only the migration task gets it. */
  readonly urlSecret: secretsmanager.Secret;
  /** The API's login (`app_rw`, rows only, no DDL): generated here, created by the migration task. */
  readonly appUserSecret: secretsmanager.Secret;
  /** `DATABASE_URL` for the API service, as `app_rw`. */
  readonly appUrlSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc: props.vpc,
      description: 'PostgreSQL: reachable only from the API tasks',
      allowAllOutbound: false,
    });
    const parameters = new rds.ParameterGroup(this, 'Params', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      parameters: { 'rds.force_ssl': '1', log_min_duration_statement: '1000' },
    });
    // A known identifier lets the stack own RDS's log groups (with retention) instead of RDS
    // creating them with none; a LogRetention custom resource would add a Lambda for the same.
    // The identifier (and so the group names) carries a piece of the stack id (ADR 0220): deletion
    // protection keeps the instance through the rollback of a failed first deploy, and with it the
    // groups it depends on, so a fixed name would make the retry fail with "already exists".
    this.instanceIdentifier = uniqueName('app-postgres', props.envName);
    const instanceIdentifier = this.instanceIdentifier;
    const logGroups = ['postgresql', 'upgrade'].map(
      (kind) =>
        new logs.LogGroup(this, `Logs-${kind}`, {
          logGroupName: `/aws/rds/instance/${instanceIdentifier}/${kind}`,
          retention: props.logRetention,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );
    this.instance = new rds.DatabaseInstance(this, 'Postgres', {
      instanceIdentifier,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: new ec2.InstanceType(props.instanceClass),
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [this.securityGroup],
      databaseName: dbName,
      credentials: rds.Credentials.fromGeneratedSecret(dbUser, {
        excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\=^,.-_',
      }),
      parameterGroup: parameters,
      allocatedStorage: props.allocatedStorageGiB,
      maxAllocatedStorage: props.allocatedStorageGiB * 5,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      multiAz: props.multiAz,
      backupRetention: Duration.days(props.backupRetentionDays),
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      autoMinorVersionUpgrade: true,
      // Performance Insights is not offered on the smallest burstable classes.
      enablePerformanceInsights: !/\.(micro|small)$/.test(props.instanceClass),
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      iamAuthentication: true,
      publiclyAccessible: false,
      // Pinned, not RDS's default of the day: the image trusts RDS's global bundle (which holds this
      // CA for every region) and DATABASE_URL says verify-full, so a CA change is a reviewed change.
      caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
    });
    for (const group of logGroups) this.instance.node.addDependency(group);
    const secret = this.instance.secret;
    if (!secret) throw new Error('RDS instance has no generated secret');
    // Dynamic references: CloudFormation resolves the password at deploy time; the template only
    // holds `{{resolve:secretsmanager:...}}`. See ADR 0066 for why rotation is manual.
    const urlFor = (user: string, password: string) =>
      Fn.join('', [
        `postgres://${user}:`,
        password,
        '@',
        this.instance.dbInstanceEndpointAddress,
        ':',
        this.instance.dbInstanceEndpointPort,
        `/${dbName}?sslmode=verify-full`,
      ]);
    this.urlSecret = new secretsmanager.Secret(this, 'UrlSecret', {
      description:
        'DATABASE_URL of the master user, for the migration task (derived from the RDS master secret)',
      secretStringValue: SecretValue.unsafePlainText(
        urlFor(dbUser, secret.secretValueFromJson('password').unsafeUnwrap()),
      ),
    });
    this.appUserSecret = new secretsmanager.Secret(this, 'AppUserSecret', {
      description: `Password of ${appDbUser}, the API's login (created by the migration task)`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: appDbUser }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 32,
      },
    });
    this.appUrlSecret = new secretsmanager.Secret(this, 'AppUrlSecret', {
      description: `DATABASE_URL for the API service, as ${appDbUser}`,
      secretStringValue: SecretValue.unsafePlainText(
        urlFor(appDbUser, this.appUserSecret.secretValueFromJson('password').unsafeUnwrap()),
      ),
    });
  }

  allowFrom(peer: ec2.IConnectable): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(5432), 'API tasks to PostgreSQL');
  }
}
