import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UserPoolDefinition } from '@app/pool-definition';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

type TriggerKey = keyof UserPoolDefinition['triggers'];

const operations: Record<TriggerKey, cognito.UserPoolOperation> = {
  preSignUp: cognito.UserPoolOperation.PRE_SIGN_UP,
  customMessage: cognito.UserPoolOperation.CUSTOM_MESSAGE,
  postConfirmation: cognito.UserPoolOperation.POST_CONFIRMATION,
  preTokenGeneration: cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
};

/** Triggers that read or write the API's database (in the VPC, with the DATABASE_URL secret). */
const needsDatabase: ReadonlySet<TriggerKey> = new Set(['postConfirmation', 'preTokenGeneration']);

export const functionsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../functions');

/**
 * The handler file and export of each function name, read from functions/functions.json: the very
 * map the local IdP runs (`--functions`), so what is tested locally is what is deployed.
 */
export function functionEntries(): Record<string, { entry: string; handler: string }> {
  const map = JSON.parse(readFileSync(join(functionsDir, 'functions.json'), 'utf8')) as Record<
    string,
    string
  >;
  const out: Record<string, { entry: string; handler: string }> = {};
  for (const [name, spec] of Object.entries(map)) {
    const [file, handler = 'handler'] = spec.split('#');
    out[name] = { entry: resolve(functionsDir, file!), handler };
  }
  return out;
}

export interface PoolTriggersProps {
  readonly definition: UserPoolDefinition;
  readonly userPool: cognito.UserPool;
  readonly vpc: ec2.IVpc;
  readonly database: {
    readonly appUrlSecret: secretsmanager.ISecret;
    allowFrom(peer: ec2.IConnectable): void;
  };
  /** Whether the pool sends through SES (DEVELOPER): without it Cognito refuses a custom e-mail body. */
  readonly sendsThroughSes: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly appUrl?: string;
  readonly allowedEmailDomains?: string[];
}

/**
 * The definition's triggers as Lambda functions (esbuild bundles of functions/src), attached to the
 * pool: each with its own role (its own log group; the database functions also the DATABASE_URL
 * secret and VPC network interfaces), 5 s like Cognito's own limit, ARM, Node 24: the newest Node
 * Lambda runs (the images run Node 26; Lambda and aws-cdk-lib have no nodejs26.x yet, ADR 0225).
 */
export class PoolTriggers extends Construct {
  readonly functions: Partial<Record<TriggerKey, nodejs.NodejsFunction>> = {};
  /** Each function's role and log group, for the cdk-nag acknowledgements (nag/suppressions.ts). */
  readonly parts: Array<{ role: iam.Role; logGroup: logs.LogGroup; database: boolean }> = [];
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PoolTriggersProps) {
    super(scope, id);
    const entries = functionEntries();
    this.securityGroup = new ec2.SecurityGroup(this, 'Sg', {
      vpc: props.vpc,
      description: 'Cognito triggers that reach PostgreSQL',
      allowAllOutbound: true,
    });
    const def = props.definition;
    for (const key of Object.keys(operations) as TriggerKey[]) {
      const name = def.triggers[key];
      if (!name) continue;
      if (key === 'customMessage' && !props.sendsThroughSes) {
        Annotations.of(this).addWarning(
          'CustomMessage is not attached: it needs the pool to send through SES (context "emailFrom").',
        );
        continue;
      }
      const source = entries[name];
      if (!source) throw new Error(`functions/functions.json has no function "${name}" (trigger ${key})`);
      const fn = this.makeFunction(key, name, source, props);
      this.functions[key] = fn;
      if (key === 'preTokenGeneration') {
        const version =
          def.preTokenGenerationVersion === 'V1_0' ? cognito.LambdaVersion.V1_0 : cognito.LambdaVersion.V2_0;
        props.userPool.addTrigger(operations[key], fn, version);
      } else props.userPool.addTrigger(operations[key], fn);
    }
  }

  private makeFunction(
    key: TriggerKey,
    name: string,
    source: { entry: string; handler: string },
    props: PoolTriggersProps,
  ): nodejs.NodejsFunction {
    const id = key.charAt(0).toUpperCase() + key.slice(1);
    const logGroup = new logs.LogGroup(this, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Cognito ${key} trigger (${name}): its own logs${needsDatabase.has(key) ? ', the DATABASE_URL secret, VPC interfaces' : ''}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${logGroup.logGroupArn}:*`],
      }),
    );
    const db = needsDatabase.has(key);
    this.parts.push({ role, logGroup, database: db });
    const fn = new nodejs.NodejsFunction(this, id, {
      entry: source.entry,
      handler: source.handler,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(5),
      role,
      logGroup,
      description: `Cognito ${key}: functions/${source.entry.slice(functionsDir.length + 1)}`,
      environment: {
        APP_NAME: props.definition.poolName,
        ...(props.appUrl ? { APP_URL: props.appUrl } : {}),
        ...(key === 'preSignUp' && props.allowedEmailDomains?.length
          ? { ALLOWED_EMAIL_DOMAINS: props.allowedEmailDomains.join(',') }
          : {}),
        ...(db ? { DATABASE_URL_SECRET_ARN: props.database.appUrlSecret.secretArn } : {}),
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node24',
        // pg's optional native binding is never used; the AWS SDK comes with the runtime.
        externalModules: ['pg-native', '@aws-sdk/*'],
      },
      ...(db
        ? {
            vpc: props.vpc,
            vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            securityGroups: [this.securityGroup],
          }
        : {}),
    });
    if (db) {
      props.database.appUrlSecret.grantRead(role);
      // Lambda's VPC network interfaces: these EC2 actions take no resource ARNs (Lambda docs).
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
      props.database.allowFrom(this.securityGroup);
    }
    return fn;
  }
}
