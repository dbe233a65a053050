import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RateLimitedWebAcl } from './edge/waf.ts';

export interface EdgeWafStackProps extends StackProps {
  readonly envName: string;
  readonly rateLimitPer5Min: number;
}

/**
 * CLOUDFRONT-scope web ACL. AWS only accepts these in us-east-1, so it is its own stack; its ARN
 * goes into the main stack's `cloudFrontWebAclArn` context (docs/deployment.md, step 4).
 */
export class EdgeWafStack extends Stack {
  readonly webAcl: RateLimitedWebAcl;

  constructor(scope: Construct, id: string, props: EdgeWafStackProps) {
    super(scope, id, props);
    this.webAcl = new RateLimitedWebAcl(this, 'Waf', {
      scope: 'CLOUDFRONT',
      name: `app-edge-${props.envName}`,
      rateLimitPer5Min: props.rateLimitPer5Min,
    });
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.acl.attrArn,
      description: 'pass as -c cloudFrontWebAclArn=',
    });
  }
}
