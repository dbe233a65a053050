import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ApiAlarmsProps {
  readonly envName: string;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  readonly service: ecs.FargateService;
  readonly database: rds.IDatabaseInstance;
  /** Connections the API may use (max_connections minus reserved, ADR 0087). */
  readonly dbConnectionsAvailable: number;
  readonly alarmEmail?: string;
}

/**
 * The signals an on-call person needs first: errors, latency, unhealthy targets, CPU, database
 * connections. The 5xx and unhealthy-target alarms also roll back a deployment that sets them off.
 */
export class ApiAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Named alarms the ECS deployment watches (ROLLBACK_ON_ALARM). */
  readonly deploymentAlarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    // A customer key: CloudWatch cannot publish to a topic under the AWS-managed SNS key.
    const key = new kms.Key(this, 'TopicKey', { enableKeyRotation: true, description: 'API alarm topic' });
    key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    this.topic = new sns.Topic(this, 'Topic', { masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const period = Duration.minutes(1);
    const add = (
      name: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      evaluationPeriods: number,
      description: string,
      alarmName?: string,
    ) => {
      const alarm = new cloudwatch.Alarm(this, name, {
        ...(alarmName ? { alarmName } : {}),
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm: evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
      this.alarms.push(alarm);
      return alarm;
    };
    const target5xx = add(
      'Target5xx',
      props.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
        period,
        statistic: 'Sum',
      }),
      10,
      3,
      'API answered more than 10 5xx a minute for 3 minutes',
      `app-${props.envName}-api-target-5xx`,
    );
    add(
      'Elb5xx',
      props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period, statistic: 'Sum' }),
      10,
      3,
      'ALB itself answered 5xx (502/503/504: no healthy target, keep-alive race, timeouts)',
    );
    add(
      'ResponseTimeP95',
      props.targetGroup.metrics.targetResponseTime({ period, statistic: 'p95' }),
      1,
      5,
      'p95 target response time above 1 s for 5 minutes',
    );
    const unhealthy = add(
      'UnhealthyHosts',
      props.targetGroup.metrics.unhealthyHostCount({ period, statistic: 'Maximum' }),
      0,
      3,
      'At least one API task failed the ALB health check for 3 minutes',
      `app-${props.envName}-api-unhealthy-hosts`,
    );
    this.deploymentAlarms.push(target5xx, unhealthy);
    add(
      'Cpu',
      props.service.metricCpuUtilization({ period, statistic: 'Average' }),
      85,
      5,
      'API service CPU above 85% for 5 minutes (autoscaling at its maximum?)',
    );
    add(
      'DbConnections',
      props.database.metricDatabaseConnections({ period, statistic: 'Maximum' }),
      Math.floor(props.dbConnectionsAvailable * 0.8),
      5,
      'Postgres connections above 80% of the budget for 5 minutes (docs/deployment.md, "Scale out")',
    );
  }
}
