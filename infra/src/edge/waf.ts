import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface RateLimitedWebAclProps {
  /** REGIONAL for the ALB; CLOUDFRONT must be created in us-east-1. */
  readonly scope: 'REGIONAL' | 'CLOUDFRONT';
  /** Requests per 5-minute window per source IP before blocking. */
  readonly rateLimitPer5Min: number;
  readonly name: string;
  /**
   * Header holding the viewer's address when the ACL sits behind CloudFront (the ALB): the source
   * IP there is a CloudFront edge server, shared by thousands of viewers. Unset: the source IP.
   */
  readonly viewerIpHeader?: string;
}

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

function managedRule(name: string, priority: number, excluded: string[] = []): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ruleActionOverrides: excluded.map((rule) => ({ name: rule, actionToUse: { count: {} } })),
      },
    },
    visibilityConfig: visibility(name),
  };
}

/**
 * A web ACL with a per-viewer rate-based rule first (cheapest rejection of floods) and AWS's managed
 * baseline rule groups after it. Fine-grained per-user and per-route limits live in the API
 * (Redis); this is the coarse outer layer (ADR 0063).
 */
export class RateLimitedWebAcl extends Construct {
  readonly acl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: RateLimitedWebAclProps) {
    super(scope, id);
    this.acl = new wafv2.CfnWebACL(this, 'Acl', {
      name: props.name,
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      rules: [
        {
          name: 'rate-limit-per-ip',
          priority: 0,
          action: { block: { customResponse: { responseCode: 429 } } },
          statement: {
            rateBasedStatement: {
              limit: props.rateLimitPer5Min,
              evaluationWindowSec: 300,
              ...(props.viewerIpHeader
                ? {
                    aggregateKeyType: 'FORWARDED_IP',
                    // No header means the request did not come through our distribution: count it.
                    forwardedIpConfig: { headerName: props.viewerIpHeader, fallbackBehavior: 'MATCH' },
                  }
                : { aggregateKeyType: 'IP' }),
            },
          },
          visibilityConfig: visibility('rate-limit-per-ip'),
        },
        managedRule('AWSManagedRulesAmazonIpReputationList', 1),
        // SizeRestrictions_BODY caps bodies at 8 KB; the API enforces its own BODY_LIMIT_BYTES.
        managedRule('AWSManagedRulesCommonRuleSet', 2, ['SizeRestrictions_BODY']),
        managedRule('AWSManagedRulesKnownBadInputsRuleSet', 3),
      ],
    });
  }

  associate(resourceArn: string): wafv2.CfnWebACLAssociation {
    return new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn, webAclArn: this.acl.attrArn });
  }
}
