import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface NetworkProps {
  readonly natGateways: number;
  readonly logRetention: logs.RetentionDays;
}

/**
 * Two-AZ VPC: public subnets for the ALB (and NAT), private subnets with egress for the tasks,
 * isolated subnets for RDS and Redis. Endpoints keep image pulls, logs and secrets off the NAT.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly endpoints: ec2.InterfaceVpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    const appSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    for (const [name, service] of [
      ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
    ] as const) {
      // Closed by default (not "whole VPC CIDR"): only the API tasks get 443 on the endpoints.
      this.endpoints.push(
        this.vpc.addInterfaceEndpoint(name, {
          service,
          subnets: appSubnets,
          privateDnsEnabled: true,
          open: false,
        }),
      );
    }
  }

  allowEndpointsFrom(peer: ec2.IConnectable): void {
    for (const endpoint of this.endpoints)
      endpoint.connections.allowFrom(peer, ec2.Port.tcp(443), 'AWS API endpoint');
  }
}
